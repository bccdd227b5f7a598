import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { IdParam, jsonBody, jsonContent, MessageSchema, pageContent, problems } from '../../lib/openapi';
import { LIST_PAGE, PAGE_DESCRIPTION, pageQuery } from '../../lib/pagination';
import { requireAnyAdmin, requireGlobalAdmin } from '../../policy';
import { UserSchema } from '../../users/user-view';
import { adminTags, RefId } from './admin.common';

export const listManagedUsers = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireAnyAdmin, primary: true }),
  method: 'get',
  path: '/admin/users',
  summary: 'Users an admin manages: all (global admin) or the members of the groups it administers (group admin)',
  description:
    'Ordered by name, then email. A group admin sees only the memberships in groups it administers. ' +
    `Plain members get 403. Up to ${LIST_PAGE} users per page (the default). ${PAGE_DESCRIPTION}`,
  request: { query: z.object(pageQuery(LIST_PAGE, LIST_PAGE)) },
  responses: {
    200: pageContent(z.array(UserSchema), 'The users, as full User objects'),
    ...problems(401, 403),
  },
});

export const setUserStatus = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireGlobalAdmin, upfront: true }),
  method: 'put',
  path: '/admin/users/{id}/status',
  summary: 'Activate or deactivate an account (global admin); deactivation revokes its tokens',
  description: 'Activating emails the user. The last active global admin cannot be deactivated (409 `last_admin`).',
  request: {
    params: IdParam,
    body: jsonBody(z.object({ isActive: z.boolean() }).openapi('UserStatusRequest')),
  },
  responses: {
    200: jsonContent(UserSchema, 'The updated user'),
    ...problems(400, 401, 403, 404, 409),
  },
});

export const deleteUser = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireGlobalAdmin }),
  method: 'delete',
  path: '/admin/users/{id}',
  summary: 'Delete an account with its memberships, ratings and photos (global admin)',
  description:
    'Upcoming events baked by the user are deleted, past ones stay (baker "Deleted user", no cover photo). ' +
    'The user’s tokens stop working. ' +
    'The last active global admin cannot be deleted (409 `last_admin`).',
  request: { params: IdParam },
  responses: {
    200: jsonContent(MessageSchema, 'Deleted'),
    ...problems(401, 403, 404, 409),
  },
});

export const assignGroup = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireGlobalAdmin, upfront: true }),
  method: 'post',
  path: '/admin/users/assign-group',
  summary: 'Put a user in a group and make it their primary group (global admin); groupId null removes all memberships',
  description: 'Idempotent. The admin panel models one group per user: this sets `groupId` of the User.',
  request: {
    body: jsonBody(z.object({ userId: RefId, groupId: RefId.nullable() }).openapi('AssignGroupRequest')),
  },
  responses: {
    200: jsonContent(UserSchema, 'The updated user'),
    ...problems(400, 401, 403, 404),
  },
});

export const forcePasswordChange = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireAnyAdmin, upfront: true }),
  method: 'post',
  path: '/admin/users/force-password-change',
  summary: 'Require (or stop requiring) a password change at next use (global admin, or admin of a group of the user)',
  description:
    '`mustChange: true` revokes the user’s existing tokens and calendar-feed URL and mails them a security notice; after logging in again the user reaches only ' +
    '`GET /api/user` and change-password. A group admin gets 404 for users outside its groups, and 403 for a ' +
    'global admin inside them (only a global admin may lock out a global admin).',
  request: {
    body: jsonBody(z.object({ userId: RefId, mustChange: z.boolean() }).openapi('ForcePasswordChangeRequest')),
  },
  responses: {
    200: jsonContent(UserSchema, 'The updated user'),
    ...problems(400, 401, 403, 404),
  },
});

export const resetTwoFactor = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireGlobalAdmin, upfront: true }),
  method: 'post',
  path: '/admin/users/{id}/reset-2fa',
  summary:
    'Clear a user’s two-factor authentication (global admin), for a user who lost the authenticator and the recovery codes',
  description:
    'Removes the TOTP secret and the recovery codes, ends every session of the user (their tokens get 401) and mails ' +
    'them a security notice; they sign in with the password alone and may set up 2FA again. 404 for an unknown user, ' +
    '409 when the user has no 2FA.',
  request: { params: IdParam },
  responses: {
    200: jsonContent(UserSchema, 'The updated user'),
    ...problems(401, 403, 404, 409),
  },
});
