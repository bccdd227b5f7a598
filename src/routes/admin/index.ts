import { createRouter } from '../../lib/create-router';

export const adminRouter = createRouter();
