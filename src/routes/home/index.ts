import { createRouter } from '../../lib/create-router';
import * as handlers from './home.handlers';
import * as routes from './home.routes';

/** Mounted at the root, beside /api: the first thing a newcomer opens. */
export const homeRouter = createRouter().openapi(routes.getApiIndex, handlers.getApiIndex);
