import { createRouter } from '../../lib/create-router';

export const streamRouter = createRouter();
