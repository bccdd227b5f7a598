// The local first admin: what setup decides from the secrets file's values.
// Pure (no file, no process), so a Worker test can check the very function
// `npm start` runs. Deployed Workers never reach this: there the first admin
// comes only from `wrangler secret put`, and nothing has a default password.
import { passwordProblem } from '../src/auth/password-policy.ts';

/** `.localhost` can never be a real mailbox (RFC 6761), yet passes email validation. */
export const LOCAL_ADMIN_EMAIL = 'admin@cake.localhost';

const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * `{ refused }` with the reason, or `{ email, password, generated }` where
 * `generated` holds the values to add (a missing email gets the local one, a
 * missing password a random one from `randomPassword`).
 */
export function localAdminPlan(vars, randomPassword) {
  const email = vars.ADMIN_EMAIL?.trim() ?? '';
  const password = vars.ADMIN_PASSWORD ?? '';
  if (email && !EMAIL_SHAPE.test(email)) return { refused: `ADMIN_EMAIL "${email}" is not an email address.` };
  if (password) {
    const problem = passwordProblem(password);
    if (problem) return { refused: `ADMIN_PASSWORD does not meet the password policy: ${problem}.` };
  }
  const generated = {};
  if (!email) generated.ADMIN_EMAIL = LOCAL_ADMIN_EMAIL;
  if (!password) {
    generated.ADMIN_PASSWORD = randomPassword();
    // A generator that could produce a refused password would break the promise of a working admin.
    const problem = passwordProblem(generated.ADMIN_PASSWORD);
    if (problem) throw new Error(`generated admin password refused: ${problem}`);
  }
  return { email: email || generated.ADMIN_EMAIL, password: password || generated.ADMIN_PASSWORD, generated };
}
