import { createRouter } from '../../lib/create-router';
import * as handlers from './events.handlers';
import * as routes from './events.routes';

// /events/ranked before /events/{id}: "ranked" is not an id.
export const eventsRouter = createRouter()
  .openapi(routes.listEvents, handlers.listEvents)
  .openapi(routes.createEvent, handlers.createEvent)
  .openapi(routes.listRankedEvents, handlers.listRankedEvents)
  .openapi(routes.getEvent, handlers.getEvent)
  .openapi(routes.deleteEvent, handlers.deleteEvent)
  .openapi(routes.updateEvent, handlers.updateEvent)
  .openapi(routes.rateEvent, handlers.rateEvent)
  .openapi(routes.getEventIcs, handlers.getEventIcs)
  .openapi(routes.uploadPhoto, handlers.uploadPhoto);
