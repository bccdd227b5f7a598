// Local start: generate missing secrets into the git-ignored .dev.vars.
// Deployed Workers get theirs from `wrangler secret put`.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../.dev.vars', import.meta.url);
const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
const present = new Set(current.split('\n').map((line) => line.split('=')[0].trim()));
const generated = ['JWT_SECRET', 'PHOTO_SIGNING_KEY', 'TOTP_ENCRYPTION_KEY']
  .filter((name) => !present.has(name))
  .map((name) => `${name}=${randomBytes(32).toString('base64url')}`);

if (generated.length > 0) {
  const prefix = current && !current.endsWith('\n') ? '\n' : '';
  writeFileSync(file, current + prefix + generated.join('\n') + '\n', { mode: 0o600 });
  console.log(`.dev.vars: generated ${generated.map((l) => l.split('=')[0]).join(', ')}`);
}
if (!/^ADMIN_EMAIL=/m.test(current) || !/^ADMIN_PASSWORD=/m.test(current)) {
  console.log('No first admin configured: add ADMIN_EMAIL and ADMIN_PASSWORD to .dev.vars (see README).');
}
