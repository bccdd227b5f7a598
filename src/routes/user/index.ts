import { createRouter } from '../../lib/create-router';
import { getOwnProfile } from './user.handlers';
import { getUser } from './user.routes';

export const userRouter = createRouter().openapi(getUser, getOwnProfile);
