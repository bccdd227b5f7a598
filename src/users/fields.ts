/**
 * Request fields about accounts, derived from the `users` table
 * (src/db/zod.ts) with the limits its columns cannot express.
 */
import { z } from '@hono/zod-openapi';
import { isCommonPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_RULES } from '../auth/password-policy';
import { users } from '../db/schema';
import { createInsertSchema } from '../db/zod';
import { displayName } from '../lib/display-name';
import { normalizeEmail } from '../lib/email';

/** An email as typed, normalized (trimmed, lower-cased) before any check: see `normalizeEmail`. */
const emailInput = () => z.string().overwrite(normalizeEmail);

const userFields = createInsertSchema(users, {
  name: displayName,
  email: () =>
    emailInput()
      .max(254)
      .pipe(z.email({ message: 'Invalid email address' }))
      .openapi({ example: 'anna@example.com' }),
}).shape;

export const NameField = userFields.name.openapi({ example: 'Anna Schmidt' });
/** A new account's email (register, forgot-password): RFC-valid, ≤254 characters. */
export const EmailField = userFields.email;
/** Login does not judge the format: a wrong email is just wrong credentials. */
export const LoginEmailField = emailInput().min(1).max(254).openapi({ example: 'anna@example.com' });
export const LanguageField = userFields.language.unwrap().openapi({ description: "'de' or 'en'" });

export const PasswordField = z
  .string()
  .min(PASSWORD_MIN_LENGTH, PASSWORD_RULES.tooShort)
  .max(PASSWORD_MAX_LENGTH, PASSWORD_RULES.tooLong)
  .refine((p) => !isCommonPassword(p), PASSWORD_RULES.tooCommon)
  .openapi({
    description: `${PASSWORD_MIN_LENGTH}..${PASSWORD_MAX_LENGTH} characters, any characters; common passwords are rejected`,
  });
