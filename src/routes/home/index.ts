import { createRouter } from '../../lib/create-router';
import { getApiIndex } from './home.handlers';
import { apiIndex } from './home.routes';

/** Mounted at the root, beside /api: the first thing a newcomer opens. */
export const homeRouter = createRouter().openapi(apiIndex, getApiIndex);
