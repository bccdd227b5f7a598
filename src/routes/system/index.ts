import { createRouter } from '../../lib/create-router';
import * as handlers from './system.handlers';
import * as routes from './system.routes';

export const systemRouter = createRouter()
  .openapi(routes.ping, handlers.ping)
  .openapi(routes.healthcheck, handlers.healthcheck)
  .openapi(routes.sysinfo, handlers.sysinfo);
