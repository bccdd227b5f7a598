import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { STEP_UP_SECONDS } from '../../auth/step-up';
import { ROLES } from '../../db/schema';
import { DietaryProfileSchema } from '../../events/dietary';
import { bearerAuth, jsonBody, jsonContent, MessageSchema, pageContent, problems, SessionSchema } from '../../lib/openapi';
import { LIST_PAGE, PAGE_DESCRIPTION, pageQuery } from '../../lib/pagination';
import { LanguageField, PasswordField } from '../../users/fields';
import { OwnUserSchema, UserGroupSchema, UserSchema } from '../../users/user-view';

const user = { tags: ['User'], security: bearerAuth };

export const getOwnProfile = createRoute({
  ...user,
  method: 'get',
  path: '/user',
  summary: 'The caller’s own profile (reachable during a forced password change)',
  middleware: authenticate({ allowPasswordChange: true, primary: true }),
  responses: {
    200: jsonContent(OwnUserSchema, 'The full User object, with the dietary profile (only the user sees it)'),
    ...problems(401),
  },
});

const ReducedUserSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().optional().openapi({ description: 'Only where the caller administers a shared group' }),
    groups: z.array(UserGroupSchema).openapi({ description: 'The groups this user shares with the caller' }),
  })
  .openapi('ReducedUser');

export const listVisibleUsers = createRoute({
  ...user,
  method: 'get',
  path: '/users',
  summary: 'Users visible to the caller',
  description:
    'A global admin gets every account as a full User. Everyone else gets the members of their own groups as ' +
    'reduced users (the caller included): `{id, name, groups}` with the groups shared with the caller, plus ' +
    '`email` where the caller is an admin of a shared group. Sorted by name, then email. ' +
    `Up to ${LIST_PAGE} users per page (the default). ${PAGE_DESCRIPTION}`,
  middleware: authenticate(),
  request: { query: z.object(pageQuery(LIST_PAGE, LIST_PAGE)) },
  responses: {
    200: pageContent(z.array(z.union([UserSchema, ReducedUserSchema])), 'Full users (global admin) or reduced users'),
    ...problems(401, 403),
  },
});

export const listOwnGroups = createRoute({
  ...user,
  method: 'get',
  path: '/user/groups',
  summary: 'The caller’s groups with their role and member count',
  description: 'Sorted by name. One page, not paged: it holds at most one row per group of the organisation.',
  middleware: authenticate(),
  responses: {
    200: jsonContent(
      z.array(
        z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES), memberCount: z.number().int() }).openapi('OwnGroup'),
      ),
      'Sorted by name',
    ),
    ...problems(401, 403),
  },
});

export const changePassword = createRoute({
  ...user,
  method: 'post',
  path: '/user/change-password',
  summary: 'Change the password; revokes every other session and returns a fresh token',
  description:
    `Without \`currentPassword\` only a session signed in at most ${STEP_UP_SECONDS / 60} minutes ago may change the ` +
    'password (step-up: 403 `reauthentication_required` otherwise), which is how the web app changes it right after ' +
    'sign-in and how a forced change (`mustChangePassword`) is done. A wrong `currentPassword` is 401 and counts ' +
    "towards the account's backoff. The change clears `mustChangePassword`, ends every other session (their tokens " +
    'get 401; the calling one stays valid until the next revocation), replaces the calendar-feed URL (the old one answers 404) and mails the owner a security notice.',
  middleware: authenticate({ allowPasswordChange: true }),
  request: {
    body: jsonBody(
      z
        .object({ newPassword: PasswordField, currentPassword: z.string().min(1).max(1024).optional() })
        .openapi('ChangePasswordRequest'),
    ),
  },
  responses: {
    200: jsonContent(SessionSchema, 'A new session token'),
    ...problems(400, 401, 403, 429),
  },
});

export const updateSettings = createRoute({
  ...user,
  method: 'post',
  path: '/user/settings',
  summary: 'Change the interface and email language, and the dietary profile',
  description:
    '`languageEmail` is accepted as a synonym of `emailLanguage` (the web frontend sends it). ' +
    '`dietary` replaces the whole profile (what the user avoids and their diet): health data, shown only to the user; ' +
    'others see only whether a cake suits them (`suitsMe`) and, for bakers and admins, counts without names.',
  middleware: authenticate({ budget: 'settings', upfront: true }),
  request: {
    body: jsonBody(
      z
        .object({
          language: LanguageField.optional(),
          emailLanguage: LanguageField.optional(),
          languageEmail: LanguageField.optional(),
          dietary: DietaryProfileSchema.optional(),
        })
        .openapi('SettingsRequest'),
    ),
  },
  responses: {
    200: jsonContent(OwnUserSchema, 'The updated User, with the dietary profile'),
    ...problems(400, 401, 403, 429),
  },
});

export const deleteAccount = createRoute({
  ...user,
  method: 'delete',
  path: '/user',
  summary: 'Delete the own account and its data',
  description:
    'Erases the profile, memberships, ratings, photos (R2 objects too) and calendar token, and the upcoming events ' +
    'the user bakes; past events stay with baker "Deleted user" and no cover photo. A `password`, if sent, must be right (401); ' +
    `without one, the session must be signed in at most ${STEP_UP_SECONDS / 60} minutes ago (403 \`reauthentication_required\`). ` +
    'The last active global admin cannot delete themself (409 `last_admin`).',
  middleware: authenticate(),
  request: {
    body: {
      required: false,
      content: {
        'application/json': {
          schema: z.object({ password: z.string().min(1).max(1024).optional() }).openapi('DeleteAccountRequest'),
        },
      },
    },
  },
  responses: {
    200: jsonContent(MessageSchema, 'The account is gone'),
    ...problems(400, 401, 403, 409, 429),
  },
});
