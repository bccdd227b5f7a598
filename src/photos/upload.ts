/**
 * Accepting an uploaded image: size and type checks, R2 keys, and the order
 * "put the object, then write D1; on failure delete the object" so a failed
 * request never leaves an orphan in the bucket.
 */
import { ApiError } from '../errors';
import { randomToken } from '../lib/encoding';
import { logError } from '../lib/log';
import { type ImageType, sniffImageType } from './sniff';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export interface Upload extends ImageType {
  bytes: Uint8Array;
}

/**
 * A multipart field value as an uploaded file, or null when the field is
 * absent, plain text, or an empty file (what a form's unfilled file input sends).
 */
export function asFile(value: unknown): File | null {
  return value instanceof File && value.size > 0 ? value : null;
}

export async function readUpload(file: File): Promise<Upload> {
  if (file.size > MAX_PHOTO_BYTES) throw new ApiError('payload_too_large', 'A photo may have at most 10 MB.');
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffImageType(bytes);
  if (!type) throw new ApiError('unsupported_media_type', 'Photos must be JPEG, PNG, WebP, GIF, HEIC or AVIF images.');
  return { bytes, ...type };
}

/**
 * Unguessable: 128 random bits per object (22 base64url characters, which
 * serve.ts relies on). The type is also part of the stem
 * (`<random>-png.png`), so a variant path, whose extension the frontend
 * replaced, still names the object without an R2 list. The importer passes
 * its own 128 bits (derived from the photo's bytes, so a second run names
 * the same object).
 */
export const photoKey = (eventId: string, ext: string, token = randomToken(16)) => `events/${eventId}/${token}-${ext}.${ext}`;

/**
 * Stores the object, then runs the database write; if that write fails the
 * object is removed again before the error propagates.
 */
export async function storeThenRecord<T>(bucket: R2Bucket, key: string, upload: Upload, record: () => Promise<T>): Promise<T> {
  await bucket.put(key, upload.bytes, { httpMetadata: { contentType: upload.contentType } });
  try {
    return await record();
  } catch (error) {
    await bucket.delete(key).catch((e) => logError('orphan photo cleanup failed', e));
    throw error;
  }
}
