/**
 * One upload of the original (`data/uploads/<uuid>.jpg`, whatever its bytes
 * are) judged as this project judges an upload: typed by its magic bytes,
 * at most 10 MB, stored under this project's key scheme.
 *
 * The key's 128 "random" bits are a digest of the event, the owner and the
 * file's bytes: unguessable without the photo itself, and the same on every
 * run, so a second run names the same object and an interrupted one leaves
 * no orphan behind.
 */

import { toBase64Url } from '../../src/lib/encoding';
import { sniffImageType } from '../../src/photos/sniff';
import { MAX_PHOTO_BYTES, photoKey } from '../../src/photos/upload';
import type { Cell } from './source';
import { readUploadName } from './values';

/** What the upload folder holds under a name, looked at without following a symbolic link. */
type FolderEntry = { kind: 'file'; size: number } | { kind: 'missing' | 'symlink' | 'not a file' };

/** The original's upload folder: its entries and a regular file's bytes. */
export interface UploadFolder {
  entry(fileName: string): Promise<FolderEntry>;
  read(fileName: string): Promise<Uint8Array>;
}

export interface PhotoUpload {
  key: string;
  contentType: string;
  /** The file in the upload folder. */
  fileName: string;
}

export type PhotoOutcome = { ok: true; upload: PhotoUpload } | { ok: false; reason: string };

async function keyToken(eventId: string, owner: string, bytes: Uint8Array): Promise<string> {
  const label = new TextEncoder().encode(`cake-planner-import\u0000${eventId}\u0000${owner}\u0000`);
  const input = new Uint8Array(label.length + bytes.length);
  input.set(label);
  input.set(bytes, label.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input));
  return toBase64Url(digest.subarray(0, 16));
}

/** `owner` is `cover` for an event's cover photo, else the gallery photo's user id. */
export async function resolvePhoto(folder: UploadFolder, path: Cell, eventId: string, owner: string): Promise<PhotoOutcome> {
  const fileName = readUploadName(path);
  if (!fileName) return { ok: false, reason: `photo path ${JSON.stringify(path)} is not a file name of the upload folder` };
  const entry = await folder.entry(fileName);
  if (entry.kind === 'missing') return { ok: false, reason: `file ${fileName} is missing` };
  // A link may point at anything the operator can read (keys, other people's files): never followed.
  if (entry.kind === 'symlink') return { ok: false, reason: `file ${fileName} is a symbolic link, which is never followed` };
  if (entry.kind !== 'file') return { ok: false, reason: `${fileName} is not a regular file` };
  if (entry.size > MAX_PHOTO_BYTES) return { ok: false, reason: `file ${fileName} is larger than 10 MB` };
  const bytes = await folder.read(fileName);
  const type = sniffImageType(bytes);
  if (!type) return { ok: false, reason: `file ${fileName} is not a JPEG, PNG, WebP, GIF, HEIC or AVIF image` };
  const key = photoKey(eventId, type.ext, await keyToken(eventId, owner, bytes));
  return { ok: true, upload: { key, contentType: type.contentType, fileName } };
}
