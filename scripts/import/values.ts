/**
 * Single values of the original, read into this project's forms: ids,
 * timestamps, flags, languages, TOTP secrets, upload file names. Each
 * returns null for a value that cannot be read without guessing.
 */
import { LANGUAGES, type Language } from '../../src/db/schema';
import type { Cell } from './source';

/** Ids end up in URLs and R2 keys (`events/<id>/…`, see src/photos/serve.ts): UUID-like text only. */
export const readId = (value: Cell): string | null =>
  typeof value === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(value) ? value : null;

export const readText = (value: Cell): string | null => (typeof value === 'string' ? value : null);

/** SQLite `CURRENT_TIMESTAMP` (`YYYY-MM-DD HH:MM:SS`, UTC) or an ISO 8601 UTC form, as `…T…Z` with milliseconds. */
export function readTimestamp(value: Cell): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z?$/.exec(value.trim());
  if (!match) return null;
  const [y, mo, d, h, mi, s] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0;
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  const exact =
    at.getUTCFullYear() === y &&
    at.getUTCMonth() === mo - 1 &&
    at.getUTCDate() === d &&
    at.getUTCHours() === h &&
    at.getUTCMinutes() === mi &&
    at.getUTCSeconds() === s;
  return exact ? at.toISOString() : null;
}

/** The original's 0/1 INTEGER flags; anything but 1 (NULL included) is its default, false. */
export const readFlag = (value: Cell): boolean => value === 1 || value === 1n || value === '1';

/** `email_language`: 'de' or 'en' (default 'en'); null for another language, which the summary reports. */
export function readLanguage(value: Cell): Language | null {
  if (value === null || value === '') return 'en';
  const language = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : null;
}

/**
 * A TOTP secret as authenticator apps accept it (base32, A–Z and 2–7; spaces
 * and padding dropped, lower case read as upper). Empty or NULL means no 2FA
 * (`''`); null means a value that is no base32 secret.
 */
export function readTotpSecret(value: Cell): string | null {
  if (value === null) return '';
  if (typeof value !== 'string') return null;
  const secret = value.replace(/[\s=]/g, '').toUpperCase();
  if (secret === '') return '';
  return /^[A-Z2-7]{16,128}$/.test(secret) ? secret : null;
}

/** Ratings are whole stars 1..5 (an INTEGER column also holds 4.5 or '5'). */
export function readStars(value: Cell): number | null {
  const stars = typeof value === 'bigint' ? Number(value) : value;
  return typeof stars === 'number' && Number.isInteger(stars) && stars >= 1 && stars <= 5 ? stars : null;
}

/**
 * The original stores a bare file name (`<uuid>.jpg`) of its upload folder.
 * Anything with a path in it is refused: it must never reach outside the folder.
 */
export function readUploadName(value: Cell): string | null {
  if (typeof value !== 'string') return null;
  const name = value.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a NUL is exactly what a file name must not hold.
  return /^[^/\\\u0000]+$/.test(name) && name !== '.' && name !== '..' ? name : null;
}

/** An `photo_path` that names no photo at all: NULL or empty. */
export const noPhoto = (value: Cell) => value === null || (typeof value === 'string' && value.trim() === '');
