import { createRouter } from '../../lib/create-router';
import { getSignedPhoto } from './photos.handlers';
import { getPhoto } from './photos.routes';

export const photosRouter = createRouter();
photosRouter.openapi(getPhoto, getSignedPhoto);
