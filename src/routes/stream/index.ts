import { createRouter } from '../../lib/create-router';
import * as handlers from './stream.handlers';
import * as routes from './stream.routes';

export const streamRouter = createRouter()
  .openapi(routes.createStreamTicket, handlers.createStreamTicket)
  .openapi(routes.openStream, handlers.openStream);
