import { createRouter } from '../../lib/create-router';
import { deleteGroupWithContent, deleteMember, getGroups, postGroup, postSetRole } from './admin.groups.handlers';
import { createGroup, deleteGroup, listGroups, removeMember, setRole } from './admin.groups.routes';
import {
  deleteUserAccount,
  getUsers,
  postAssignGroup,
  postForcePasswordChange,
  postResetTwoFactor,
  putUserStatus,
} from './admin.users.handlers';
import { assignGroup, deleteUser, forcePasswordChange, listUsers, resetTwoFactor, setUserStatus } from './admin.users.routes';

// Literal paths (assign-group, set-role, force-password-change) never collide
// with the {id} routes: they differ in method or segment count.
export const adminRouter = createRouter()
  .openapi(listUsers, getUsers)
  .openapi(setUserStatus, putUserStatus)
  .openapi(deleteUser, deleteUserAccount)
  .openapi(assignGroup, postAssignGroup)
  .openapi(forcePasswordChange, postForcePasswordChange)
  .openapi(resetTwoFactor, postResetTwoFactor)
  .openapi(listGroups, getGroups)
  .openapi(createGroup, postGroup)
  .openapi(deleteGroup, deleteGroupWithContent)
  .openapi(removeMember, deleteMember)
  .openapi(setRole, postSetRole);
