import { createRouter } from '../../lib/create-router';
import { rotateFeed, serveFeed, showFeedUrl } from './calendar.handlers';
import { getFeed, getFeedUrl, rotateFeedUrl } from './calendar.routes';

export const calendarRouter = createRouter()
  .openapi(getFeedUrl, showFeedUrl)
  .openapi(rotateFeedUrl, rotateFeed);
calendarRouter.openAPIRegistry.registerPath({ ...getFeed, operationId: serveFeed.name });
// The whole segment, `.ics` included: the handler answers 404 for anything else.
calendarRouter.get('/calendar/:file', serveFeed);
