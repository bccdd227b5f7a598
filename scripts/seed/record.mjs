// The demo's own facts, kept inside the local state folder they belong to
// (so `--reset` removes them with it, and they are git-ignored with it):
// the members' random passwords, the day the demo was first planted (its
// anchor: later runs plan the very same cakes), and the two-factor member's
// otpauth URI. Written before any account exists, so a run that stops
// half-way leaves passwords the next run can sign in with.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { URI } from 'otpauth';
import { MEMBERS } from './demo.mjs';

const FILE = 'cake-planner-demo.json';

const recordPath = (stateDir) => join(stateDir, FILE);

export function loadRecord(stateDir) {
  const path = recordPath(stateDir);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

export function saveRecord(stateDir, record) {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(recordPath(stateDir), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** The stored record, completed with what is missing (a new member's password, the anchor). */
export function ensureRecord(stateDir, now = new Date()) {
  const record = loadRecord(stateDir) ?? { anchor: now.toISOString(), passwords: {}, otpauth: null };
  let changed = !existsSync(recordPath(stateDir));
  for (const m of MEMBERS) {
    if (record.passwords[m.email]) continue;
    // 72 random bits: far from any common password, short enough to type.
    record.passwords[m.email] = randomBytes(9).toString('base64url');
    changed = true;
  }
  if (changed) saveRecord(stateDir, record);
  return record;
}

/** The current code of the two-factor member, with the seconds it stays valid. */
export function currentCode(otpauth, now = Date.now()) {
  const totp = URI.parse(otpauth);
  return {
    code: totp.generate({ timestamp: now }),
    secret: totp.secret.base32,
    validFor: totp.remaining({ timestamp: now }) / 1000,
  };
}
