/**
 * Request-field schemas derived from the Drizzle tables (drizzle-zod), so the
 * database, validation and the OpenAPI document share one source. Limits the
 * columns cannot express are added here.
 */
import { z } from '@hono/zod-openapi';
import { createSchemaFactory } from 'drizzle-zod';
import { normalizeEmail } from '../lib/email';
import { isValidTimeZone } from '../lib/time';
import { groups, users } from './schema';
import { isCommonPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_RULES } from '../auth/password-policy';

// The zod of @hono/zod-openapi, so derived schemas carry `.openapi()` too.
const { createInsertSchema, createSelectSchema } = createSchemaFactory({ zodInstance: z });

/** Response objects start from their table's columns (src/users/user-view.ts, src/groups/group-view.ts, src/events/schema.ts). */
export { createSelectSchema };

/** A display name: one line of text, since names end up in mail subjects and calendar titles. */
const displayName = () =>
  z
    .string()
    .trim()
    .min(1)
    .max(100)
    // The control characters (Unicode Cc) spelled out: a `u`-flagged `\P{Cc}` leaked its flag
    // into the document's `pattern`, and a range reads the same in every regex dialect.
    .regex(/^[^\x00-\x1F\x7F-\x9F]*$/, 'Must not contain line breaks or control characters');

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
  .openapi({ description: `${PASSWORD_MIN_LENGTH}..${PASSWORD_MAX_LENGTH} characters, any characters; common passwords are rejected` });

const groupFields = createInsertSchema(groups, {
  name: displayName,
  description: () => z.string().max(2000),
  timeZone: () =>
    z
      .string()
      .max(64)
      .refine(isValidTimeZone, 'Not an IANA time zone name (such as Europe/Berlin); UTC offsets such as +01:00 are refused')
      .openapi({ description: 'IANA time zone name, e.g. `Europe/Berlin` or `UTC`; offsets such as `+01:00` are no zone and are refused', example: 'Europe/Berlin' }),
}).shape;

export const GroupNameField = groupFields.name.openapi({ example: 'Backstube' });
export const GroupDescriptionField = groupFields.description;
export const TimeZoneField = groupFields.timeZone;
