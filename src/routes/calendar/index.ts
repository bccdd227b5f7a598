import { createRouter } from '../../lib/create-router';
import { rotateFeed, serveFeed, showFeedUrl } from './calendar.handlers';
import { getFeed, getFeedUrl, rotateFeedUrl } from './calendar.routes';

export const calendarRouter = createRouter()
  .openapi(getFeedUrl, showFeedUrl)
  .openapi(rotateFeedUrl, rotateFeed)
  .openapi(getFeed, serveFeed);
