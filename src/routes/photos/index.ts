import { createRouter } from '../../lib/create-router';
import { getSignedPhoto } from './photos.handlers';
import { getPhoto } from './photos.routes';

export const photosRouter = createRouter();
// A plain route (its last parameter spans segments): documented under its handler's name.
photosRouter.openAPIRegistry.registerPath({ ...getPhoto, operationId: getSignedPhoto.name });
photosRouter.get('/photos/:expiry/:signature/:objectPath{.+}', getSignedPhoto);
