import { createRouter } from '../../lib/create-router';
import * as handlers from './handovers.handlers';
import * as routes from './handovers.routes';

export const handoversRouter = createRouter()
  .openapi(routes.offerHandover, handlers.offerHandover)
  .openapi(routes.listHandovers, handlers.listHandovers)
  .openapi(routes.takeHandover, handlers.takeHandover)
  .openapi(routes.withdrawHandover, handlers.withdrawHandover)
  .openapi(routes.requestSwap, handlers.requestSwap)
  .openapi(routes.acceptSwap, handlers.acceptSwap)
  .openapi(routes.declineSwap, handlers.declineSwap);
