import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, jsonContent, MessageSchema, problems, SessionSchema } from '../../lib/openapi';
import { EmailField, LanguageField, LoginEmailField, NameField, PasswordField } from '../../users/fields';
import { OwnUserSchema } from '../../users/user-view';
import { SecondFactorField } from './two-factor.routes';

const RegisterBody = z
  .object({
    name: NameField,
    email: EmailField,
    password: PasswordField,
    language: LanguageField.optional(),
  })
  .openapi('RegisterRequest');

export const register = createRoute({
  method: 'post',
  path: '/auth/register',
  tags: ['Auth'],
  summary: 'Create an account (inactive until an administrator activates it)',
  description:
    'Also at `POST /api/register`. Active global admins are notified by email. Failed sign-ins counted at the email before it was registered are forgotten.',
  request: { body: jsonBody(RegisterBody) },
  responses: {
    201: jsonContent(z.object({ message: z.string(), userId: z.string() }).openapi('Registered'), 'Account created, inactive'),
    ...problems(400, 409, 413, 415, 429),
  },
});

const LoginBody = z
  .object({
    email: LoginEmailField,
    password: z.string().min(1).max(1024),
    code: SecondFactorField.optional(),
  })
  .openapi('LoginRequest');

const LoginResult = z.object({ ...SessionSchema.shape, user: OwnUserSchema }).openapi('LoginResult');

export const login = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['Auth'],
  summary: 'Log in; with 2FA enabled and no code, answers {require2fa: true}',
  description: 'Also at `POST /api/login`. A temporary password from forgot-password logs in once and sets `mustChangePassword`.',
  request: { body: jsonBody(LoginBody) },
  responses: {
    200: jsonContent(
      z.union([LoginResult, z.object({ require2fa: z.literal(true) }).openapi('TwoFactorRequired')]),
      'Logged in, or a second factor is required',
    ),
    ...problems(400, 401, 403, 429),
  },
});

const ForgotPasswordBody = z.object({ email: EmailField }).openapi('ForgotPasswordRequest');

export const forgotPassword = createRoute({
  method: 'post',
  path: '/auth/forgot-password',
  tags: ['Auth'],
  summary: 'Email a temporary password (always the same answer)',
  description:
    'If the email belongs to an active account, a random temporary password is mailed in the user’s ' +
    '`emailLanguage`. It logs in once within 30 minutes and then requires a password change; the current ' +
    'password keeps working, so nobody can lock anyone out by requesting one.',
  request: { body: jsonBody(ForgotPasswordBody) },
  responses: {
    200: jsonContent(MessageSchema, 'Always the same answer, whether or not the account exists'),
    ...problems(400, 429),
  },
});
