/**
 * The SSE `id:` of a stream that carries several groups: one position per
 * group, `{groupId: seq, ...}` as base64url JSON. `EventSource` sends the last
 * one back as `Last-Event-ID`, so a single value resumes every group at once.
 */
import { fromBase64Url, toBase64Url } from '../lib/encoding';

export type Cursor = Record<string, number>;

/** More groups than any member has; bounds what a forged header can make us parse. */
const MAX_GROUPS = 500;
const MAX_LENGTH = 64 * 1024;

export function encodeCursor(cursor: Cursor): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(cursor)));
}

/** The positions in `text`; an unreadable cursor resumes nothing (the client just gets live messages). */
export function decodeCursor(text: string | null | undefined): Cursor {
  if (!text || text.length > MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return {};
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(fromBase64Url(text)));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const entries = Object.entries(value).filter(
      (e): e is [string, number] => typeof e[1] === 'number' && Number.isSafeInteger(e[1]) && e[1] >= 0,
    );
    return entries.length > MAX_GROUPS ? {} : Object.fromEntries(entries);
  } catch {
    return {};
  }
}
