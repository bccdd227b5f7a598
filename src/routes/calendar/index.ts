import { createRouter } from '../../lib/create-router';

export const calendarRouter = createRouter();
