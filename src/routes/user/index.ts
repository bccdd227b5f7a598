import { createRouter } from '../../lib/create-router';
import {
  deleteOwnAccount,
  getOwnGroups,
  getOwnProfile,
  getVisibleUsers,
  postChangePassword,
  postSettings,
} from './user.handlers';
import { changePassword, deleteAccount, getUser, listOwnGroups, listUsers, updateSettings } from './user.routes';

export const userRouter = createRouter()
  .openapi(getUser, getOwnProfile)
  .openapi(listUsers, getVisibleUsers)
  .openapi(listOwnGroups, getOwnGroups)
  .openapi(changePassword, postChangePassword)
  .openapi(updateSettings, postSettings)
  .openapi(deleteAccount, deleteOwnAccount);
