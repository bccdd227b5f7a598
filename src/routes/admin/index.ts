import { createRouter } from '../../lib/create-router';
import { postAssignGroup, postGroup, postSetRole, putUserStatus } from './admin.handlers';
import { assignGroup, createGroup, setRole, setUserStatus } from './admin.routes';

export const adminRouter = createRouter()
  .openapi(setUserStatus, putUserStatus)
  .openapi(createGroup, postGroup)
  .openapi(assignGroup, postAssignGroup)
  .openapi(setRole, postSetRole);
