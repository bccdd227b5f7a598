import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../auth/middleware';
import { GroupDescriptionField, GroupNameField, TimeZoneField } from '../../db/validation';
import { GroupSchema } from '../../groups/group-view';
import { bearerAuth, IdParam, jsonBody, jsonContent, problems } from '../../lib/openapi';
import { UserSchema } from '../../users/user-view';

const admin = { tags: ['Admin'], security: bearerAuth, middleware: [requireAuth()] };

export const setUserStatus = createRoute({
  ...admin,
  method: 'put',
  path: '/admin/users/{id}/status',
  summary: 'Activate or deactivate an account (global admin); deactivation revokes its tokens',
  request: {
    params: IdParam,
    body: jsonBody(z.object({ isActive: z.boolean() }).openapi('UserStatusRequest')),
  },
  responses: {
    200: jsonContent(UserSchema, 'The updated user'),
    ...problems(400, 401, 403, 404, 409),
  },
});

export const CreateGroupBody = z
  .object({
    name: GroupNameField,
    description: GroupDescriptionField.optional(),
    timeZone: TimeZoneField.optional().openapi({ description: 'IANA time zone, default Europe/Berlin' }),
  })
  .openapi('CreateGroupRequest');

export const createGroup = createRoute({
  ...admin,
  method: 'post',
  path: '/admin/groups',
  summary: 'Create a group (global admin)',
  request: { body: jsonBody(CreateGroupBody) },
  responses: {
    201: jsonContent(GroupSchema, 'The new group'),
    ...problems(400, 401, 403, 409),
  },
});

export const assignGroup = createRoute({
  ...admin,
  method: 'post',
  path: '/admin/users/assign-group',
  summary: "Put a user in a group and make it their primary group (global admin); groupId null removes all memberships",
  description: 'Idempotent. The admin panel models one group per user: this sets `groupId` of the User.',
  request: {
    body: jsonBody(
      z.object({ userId: z.string().min(1).max(64), groupId: z.string().min(1).max(64).nullable() }).openapi('AssignGroupRequest'),
    ),
  },
  responses: {
    200: jsonContent(UserSchema, 'The updated user'),
    ...problems(400, 401, 403, 404),
  },
});

export const setRole = createRoute({
  ...admin,
  method: 'post',
  path: '/admin/groups/set-role',
  summary: "Set a member's role in a group (global admin); the user must already be a member",
  request: {
    body: jsonBody(
      z
        .object({
          userId: z.string().min(1).max(64),
          groupId: z.string().min(1).max(64),
          role: z.enum(['admin', 'member']),
        })
        .openapi('SetRoleRequest'),
    ),
  },
  responses: {
    200: jsonContent(UserSchema, 'The updated user'),
    ...problems(400, 401, 403, 404),
  },
});
