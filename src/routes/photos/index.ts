import { createRouter } from '../../lib/create-router';
import * as handlers from './photos.handlers';
import * as routes from './photos.routes';

export const photosRouter = createRouter().openapi(routes.getPhoto, handlers.getPhoto);
