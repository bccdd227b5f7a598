import { createRouter } from '../../lib/create-router';

export const userRouter = createRouter();
