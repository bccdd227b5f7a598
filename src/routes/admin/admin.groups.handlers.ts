import { z } from '@hono/zod-openapi';
import { and, sql } from 'drizzle-orm';
import { answeringConstraints } from '../../db/errors';
import { ApiError } from '../../errors';
import { insertGroup } from '../../groups/creation';
import { eraseGroup } from '../../groups/erasure';
import { groupOrderKey, groupViewQuery } from '../../groups/group-view';
import { removeMembership, setMembershipRole } from '../../groups/membership';
import { updateGroupSettings } from '../../groups/settings';
import { afterResponse } from '../../lib/after-response';
import type { AppRouteHandler } from '../../lib/create-router';
import { decodeCursor, pageOf } from '../../lib/pagination';
import { dissolveGroup } from '../../live/publish';
import { branchFor, canManageGroup, canRemoveMember, managedGroupListBranches } from '../../policy';
import { toUserView } from '../../users/user-view';
import { asSeenBy, groupNotFound } from './admin.common';
import type * as routes from './admin.groups.routes';

const GroupKey = z.tuple([z.string()]);

export const listManagedGroups: AppRouteHandler<typeof routes.listManagedGroups> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const db = c.var.db;
  const key = cursor ? await decodeCursor(c.env.JWT_SECRET, 'admin-groups', cursor, GroupKey) : undefined;
  // The cursor holds the last name as it is; SQLite lowers both sides the same way.
  const next = key ? sql`${groupOrderKey} > lower(${key[0]})` : undefined;
  // The SQL scope alone decides which groups are listed.
  const [caller, adminRows, groupAdminRows] = await c.var.auth.check((me) => {
    const [asAdmin, asGroupAdmin] = managedGroupListBranches(me, limit + 1);
    return [groupViewQuery(db, next, asAdmin.limit), groupViewQuery(db, and(asGroupAdmin.where, next), asGroupAdmin.limit)];
  });
  const { rows } = branchFor(caller, adminRows, groupAdminRows);
  const page = await pageOf(c, 'admin-groups', rows, limit, (g) => [g.name]);
  return c.json(page, 200);
};

export const createGroup: AppRouteHandler<typeof routes.createGroup> = async (c) => {
  await c.var.auth.check();
  const body = c.req.valid('json');
  const created = await answeringConstraints(insertGroup(c.var.db, body), {
    unique: () => new ApiError('name_taken', 'A group with this name exists.'),
  });
  return c.json(created, 201);
};

export const updateGroup: AppRouteHandler<typeof routes.updateGroup> = async (c) => {
  const [caller] = await c.var.auth.check();
  const { id } = c.req.valid('param');
  const settings = c.req.valid('json');
  // A group the caller does not administer is not there for it.
  if (!canManageGroup(caller, id)) throw groupNotFound();
  const group = await answeringConstraints(updateGroupSettings(c.var.db, id, settings), {
    unique: () => new ApiError('name_taken', 'A group with this name exists.'),
  });
  if (!group) throw groupNotFound();
  return c.json(group, 200);
};

export const deleteGroup: AppRouteHandler<typeof routes.deleteGroup> = async (c) => {
  await c.var.auth.check();
  const { id } = c.req.valid('param');
  if (!(await eraseGroup(c.var.db, c.env.PHOTOS, id))) throw groupNotFound();
  // Only after the commit: a stream that reconnects now no longer finds the group among its memberships.
  afterResponse(c, dissolveGroup(c.env, id));
  return c.json({ message: 'Group deleted.' }, 200);
};

export const removeMember: AppRouteHandler<typeof routes.removeMember> = async (c) => {
  const [caller] = await c.var.auth.check();
  const { id: groupId, userId } = c.req.valid('param');
  if (!canRemoveMember(caller, groupId)) {
    throw new ApiError('forbidden', 'Only a global admin or an admin of this group may remove its members.');
  }
  const { removed, after } = await removeMembership(c.var.db, groupId, userId);
  if (!removed) throw new ApiError('not_found', 'The user is not a member of that group.');
  return c.json(asSeenBy(caller, toUserView(after!)), 200);
};

export const setRole: AppRouteHandler<typeof routes.setRole> = async (c) => {
  await c.var.auth.check();
  const { userId, groupId, role } = c.req.valid('json');
  const { updated, after } = await setMembershipRole(c.var.db, groupId, userId, role);
  if (!updated) throw new ApiError('not_found', 'The user is not a member of that group.');
  return c.json(toUserView(after!), 200);
};
