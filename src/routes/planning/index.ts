import { createRouter } from '../../lib/create-router';
import * as handlers from './planning.handlers';
import * as routes from './planning.routes';

export const planningRouter = createRouter()
  .openapi(routes.getSchedule, handlers.getSchedule)
  .openapi(routes.putSchedule, handlers.putSchedule)
  .openapi(routes.listCakeDays, handlers.listCakeDays)
  .openapi(routes.getRotation, handlers.getRotation)
  .openapi(routes.listAbsences, handlers.listAbsences)
  .openapi(routes.createAbsence, handlers.createAbsence)
  .openapi(routes.deleteAbsence, handlers.deleteAbsence);
