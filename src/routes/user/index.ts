import { createRouter } from '../../lib/create-router';
import * as handlers from './user.handlers';
import * as routes from './user.routes';

export const userRouter = createRouter()
  .openapi(routes.getOwnProfile, handlers.getOwnProfile)
  .openapi(routes.listVisibleUsers, handlers.listVisibleUsers)
  .openapi(routes.listOwnGroups, handlers.listOwnGroups)
  .openapi(routes.changePassword, handlers.changePassword)
  .openapi(routes.updateSettings, handlers.updateSettings)
  .openapi(routes.deleteAccount, handlers.deleteAccount);
