import { createRouter } from '../../lib/create-router';
import * as handlers from './calendar.handlers';
import * as routes from './calendar.routes';

export const calendarRouter = createRouter()
  .openapi(routes.getFeedUrl, handlers.getFeedUrl)
  .openapi(routes.rotateFeedUrl, handlers.rotateFeedUrl);
calendarRouter.openAPIRegistry.registerPath({ ...routes.getCalendarFeed, operationId: handlers.getCalendarFeed.name });
// The whole segment, `.ics` included: the handler answers 404 for anything else.
calendarRouter.get('/calendar/:file', handlers.getCalendarFeed);
