import { createRouter } from '../../lib/create-router';

export const photosRouter = createRouter();
