import { createRouter } from '../../lib/create-router';
import * as handlers from './channels.handlers';
import * as routes from './channels.routes';

export const channelsRouter = createRouter()
  .openapi(routes.listChannels, handlers.listChannels)
  .openapi(routes.createChannel, handlers.createChannel)
  .openapi(routes.patchChannel, handlers.patchChannel)
  .openapi(routes.deleteChannel, handlers.deleteChannel)
  .openapi(routes.testChannel, handlers.testChannel)
  .openapi(routes.listDeliveries, handlers.listDeliveries)
  .openapi(routes.retryDelivery, handlers.retryDelivery);
