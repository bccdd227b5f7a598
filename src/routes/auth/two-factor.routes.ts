import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { isTotpCode, RECOVERY_CODE_COUNT, RECOVERY_CODE_PATTERN } from '../../auth/recovery-codes';
import { STEP_UP_SECONDS } from '../../auth/step-up';
import { bearerAuth, jsonBody, jsonContent, MessageSchema, problems, SessionSchema } from '../../lib/openapi';

const twoFactor = { tags: ['Two-factor authentication'], security: bearerAuth };

const CodeField = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Six digits')
  .openapi({ example: '123456' });

/** Where a TOTP code is accepted, so is an unused recovery code. */
export const SecondFactorField = z
  .string()
  .trim()
  .refine((code) => isTotpCode(code) || RECOVERY_CODE_PATTERN.test(code), 'Six digits, or a recovery code')
  .openapi({ description: 'A current TOTP code (six digits) or an unused recovery code (`xxxx-xxxx-xxxx`)', example: '123456' });

export const setupTwoFactor = createRoute({
  ...twoFactor,
  middleware: authenticate({ upfront: true }),
  method: 'post',
  path: '/auth/2fa/setup',
  summary: 'Start enabling TOTP: a new pending secret, its otpauth URI and a QR code',
  description:
    'The pending secret is kept server-side (encrypted) until `activate` confirms a code from it; calling setup ' +
    'again replaces it. `qrCodeUrl` is an SVG `data:` URL drawn by the API. 409 when 2FA is already enabled.',
  responses: {
    200: jsonContent(
      z
        .object({
          secret: z.string().openapi({ description: 'Base32 secret for manual entry' }),
          otpauth: z.string().openapi({ example: 'otpauth://totp/Cake%20Planner:anna%40example.com?...' }),
          qrCodeUrl: z.string().openapi({ description: '`data:image/svg+xml;base64,...`' }),
        })
        .openapi('TwoFactorSetup'),
      'The pending secret',
    ),
    ...problems(401, 403, 409, 429),
  },
});

export const activateTwoFactor = createRoute({
  ...twoFactor,
  middleware: authenticate(),
  method: 'post',
  path: '/auth/2fa/activate',
  summary: 'Enable TOTP with a code from the pending secret; returns a fresh token and 10 recovery codes',
  description:
    `Step-up: needs a session signed in at most ${STEP_UP_SECONDS / 60} minutes ago, or the current \`password\` ` +
    '(403 `reauthentication_required` otherwise; a wrong password is 401). A `secret` sent by the client must equal ' +
    'the pending one (400 otherwise). A wrong code answers 401; 409 when no setup is pending. Enabling ends every ' +
    `other session of the user (the calling one stays valid until the next revocation) and answers with a fresh token. The ${RECOVERY_CODE_COUNT} recovery codes are shown ` +
    'only here; each works once wherever a TOTP code does. The owner gets a security notice by mail.',
  request: {
    body: jsonBody(
      z
        .object({
          code: CodeField,
          secret: z.string().trim().min(1).max(128).optional(),
          password: z.string().min(1).max(1024).optional().openapi({ description: 'The current password (step-up)' }),
        })
        .openapi('TwoFactorActivateRequest'),
    ),
  },
  responses: {
    200: jsonContent(
      MessageSchema.extend({
        ...SessionSchema.shape,
        recoveryCodes: z
          .array(z.string())
          .length(RECOVERY_CODE_COUNT)
          .openapi({ example: ['k7mq-2xhp-9dwn'] }),
      }).openapi('TwoFactorActivated'),
      '2FA is enabled',
    ),
    ...problems(400, 401, 403, 409, 429),
  },
});

export const disableTwoFactor = createRoute({
  ...twoFactor,
  middleware: authenticate(),
  method: 'post',
  path: '/auth/2fa/disable',
  summary: 'Disable TOTP, confirmed by the password or a current code',
  description:
    'Send `{password}` or `{code}` (a TOTP code or a recovery code); a wrong one answers 401 and counts towards the ' +
    "account's backoff. 409 when 2FA is not enabled. Removes the recovery codes; the owner gets a security notice.",
  request: {
    body: jsonBody(
      z
        .object({ password: z.string().min(1).max(1024).optional(), code: SecondFactorField.optional() })
        .refine((b) => b.password !== undefined || b.code !== undefined, {
          message: 'Send the password or a two-factor code',
          path: ['password'],
        })
        .openapi('TwoFactorDisableRequest'),
    ),
  },
  responses: {
    200: jsonContent(MessageSchema, '2FA is disabled'),
    ...problems(400, 401, 403, 409, 429),
  },
});
