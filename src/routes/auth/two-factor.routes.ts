import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../auth/middleware';
import { bearerAuth, jsonBody, jsonContent, MessageSchema, problems } from '../../lib/openapi';

const twoFactor = { tags: ['Two-factor authentication'], security: bearerAuth, middleware: [requireAuth()] };

const CodeField = z.string().trim().regex(/^\d{6}$/, 'Six digits').openapi({ example: '123456' });

export const setupTwoFactor = createRoute({
  ...twoFactor,
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
  method: 'post',
  path: '/auth/2fa/activate',
  summary: 'Enable TOTP with a code from the pending secret',
  description:
    'A `secret` sent by the client must equal the pending one (400 otherwise). A wrong code answers 401; ' +
    '409 when no setup is pending.',
  request: {
    body: jsonBody(
      z
        .object({ code: CodeField, secret: z.string().trim().min(1).max(128).optional() })
        .openapi('TwoFactorActivateRequest'),
    ),
  },
  responses: {
    200: jsonContent(MessageSchema, '2FA is enabled'),
    ...problems(400, 401, 403, 409, 429),
  },
});

export const disableTwoFactor = createRoute({
  ...twoFactor,
  method: 'post',
  path: '/auth/2fa/disable',
  summary: 'Disable TOTP, confirmed by the password or a current code',
  description: 'Send `{password}` or `{code}`; a wrong one answers 401. 409 when 2FA is not enabled.',
  request: {
    body: jsonBody(
      z
        .object({ password: z.string().min(1).max(1024).optional(), code: CodeField.optional() })
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
