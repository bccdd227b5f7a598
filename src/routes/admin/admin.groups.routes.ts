import { createRoute, z } from '@hono/zod-openapi';
import { authenticate } from '../../auth/authenticate';
import { ROLES } from '../../db/schema';
import { GroupDescriptionField, GroupLanguageField, GroupNameField, TimeZoneField } from '../../groups/fields';
import { GroupSchema } from '../../groups/group-view';
import { IdParam, jsonBody, jsonContent, MessageSchema, pageContent, problems } from '../../lib/openapi';
import { LIST_PAGE, PAGE_DESCRIPTION, pageQuery } from '../../lib/pagination';
import { requireAnyAdmin, requireGlobalAdmin } from '../../policy';
import { UserSchema } from '../../users/user-view';
import { adminTags, RefId } from './admin.common';

export const listManagedGroups = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireAnyAdmin, primary: true }),
  method: 'get',
  path: '/admin/groups',
  summary: 'Groups an admin manages: all (global admin) or the ones it administers (group admin)',
  description: `Ordered by name (case-insensitive). Plain members get 403. Up to ${LIST_PAGE} groups per page (the default). ${PAGE_DESCRIPTION}`,
  request: { query: z.object(pageQuery(LIST_PAGE, LIST_PAGE)) },
  responses: {
    200: pageContent(z.array(GroupSchema), 'The groups with their member counts'),
    ...problems(401, 403),
  },
});

const CreateGroupBody = z
  .object({
    name: GroupNameField,
    description: GroupDescriptionField.optional(),
    timeZone: TimeZoneField.optional().openapi({ description: 'IANA time zone, default Europe/Berlin' }),
  })
  .openapi('CreateGroupRequest');

export const createGroup = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireGlobalAdmin, upfront: true }),
  method: 'post',
  path: '/admin/groups',
  summary: 'Create a group (global admin)',
  description: 'Group names are unique, compared case-insensitively (409 `name_taken`).',
  request: { body: jsonBody(CreateGroupBody) },
  responses: {
    201: jsonContent(GroupSchema, 'The new group'),
    ...problems(400, 401, 403, 409),
  },
});

const UpdateGroupBody = z
  .object({
    name: GroupNameField.optional(),
    description: GroupDescriptionField.optional(),
    timeZone: TimeZoneField.optional(),
    language: GroupLanguageField.optional(),
  })
  .openapi('UpdateGroupRequest');

export const updateGroup = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireAnyAdmin, budget: 'group-settings' }),
  method: 'patch',
  path: '/admin/groups/{id}',
  summary: 'Change a group’s name, description, time zone or language (global admin, or admin of that group)',
  description:
    'Only the fields sent change. Names stay unique, compared case-insensitively (409 `name_taken`). A new time zone ' +
    'changes what "today" is for the group from now on; existing events keep their dates. A caller who administers ' +
    'no group gets 403; a group admin asking for a group it does not administer gets 404, as for an unknown id.',
  request: { params: IdParam, body: jsonBody(UpdateGroupBody) },
  responses: {
    200: jsonContent(GroupSchema, 'The group as it is now'),
    ...problems(400, 401, 403, 404, 409),
  },
});

export const deleteGroup = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireGlobalAdmin, upfront: true }),
  method: 'delete',
  path: '/admin/groups/{id}',
  summary: 'Delete a group with its memberships, events, ratings and photos (global admin)',
  request: { params: IdParam },
  responses: {
    200: jsonContent(MessageSchema, 'Deleted'),
    ...problems(401, 403, 404),
  },
});

export const removeMember = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireAnyAdmin, upfront: true }),
  method: 'delete',
  path: '/admin/groups/{id}/members/{userId}',
  summary: 'Remove a user from a group (global admin, or admin of that group)',
  description: 'If it was the user’s primary group, `groupId` falls back to the first group the user joined.',
  request: {
    params: IdParam.extend({ userId: RefId.openapi({ param: { name: 'userId', in: 'path' } }) }),
  },
  responses: {
    200: jsonContent(UserSchema, 'The updated user'),
    ...problems(401, 403, 404),
  },
});

export const setRole = createRoute({
  ...adminTags,
  middleware: authenticate({ admits: requireGlobalAdmin, upfront: true }),
  method: 'post',
  path: '/admin/groups/set-role',
  summary: "Set a member's role in a group (global admin); the user must already be a member",
  request: {
    body: jsonBody(z.object({ userId: RefId, groupId: RefId, role: z.enum(ROLES) }).openapi('SetRoleRequest')),
  },
  responses: {
    200: jsonContent(UserSchema, 'The updated user'),
    ...problems(400, 401, 403, 404),
  },
});
