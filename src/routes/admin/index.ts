import { createRouter } from '../../lib/create-router';
import * as deadLettersHandlers from './admin.dead-letters.handlers';
import * as deadLettersRoutes from './admin.dead-letters.routes';
import * as groupsHandlers from './admin.groups.handlers';
import * as groupsRoutes from './admin.groups.routes';
import * as usersHandlers from './admin.users.handlers';
import * as usersRoutes from './admin.users.routes';

// Literal paths (assign-group, set-role, force-password-change) never collide
// with the {id} routes: they differ in method or segment count.
export const adminRouter = createRouter()
  .openapi(usersRoutes.listManagedUsers, usersHandlers.listManagedUsers)
  .openapi(usersRoutes.setUserStatus, usersHandlers.setUserStatus)
  .openapi(usersRoutes.deleteUser, usersHandlers.deleteUser)
  .openapi(usersRoutes.assignGroup, usersHandlers.assignGroup)
  .openapi(usersRoutes.forcePasswordChange, usersHandlers.forcePasswordChange)
  .openapi(usersRoutes.resetTwoFactor, usersHandlers.resetTwoFactor)
  .openapi(groupsRoutes.listManagedGroups, groupsHandlers.listManagedGroups)
  .openapi(groupsRoutes.createGroup, groupsHandlers.createGroup)
  .openapi(groupsRoutes.updateGroup, groupsHandlers.updateGroup)
  .openapi(groupsRoutes.deleteGroup, groupsHandlers.deleteGroup)
  .openapi(groupsRoutes.removeMember, groupsHandlers.removeMember)
  .openapi(groupsRoutes.setRole, groupsHandlers.setRole)
  .openapi(deadLettersRoutes.listDeadLetters, deadLettersHandlers.listDeadLetters);
