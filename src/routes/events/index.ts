import { createRouter } from '../../lib/create-router';

export const eventsRouter = createRouter();
