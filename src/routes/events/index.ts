// Events, HTTP routes (src/routes/events/). Domain module: src/events/; table: `events` in src/db/schema.ts.
import { createRouter } from '../../lib/create-router';
import { getEventIcs, getEvents, getOneEvent, getRankedEvents, postEvent, postPhoto, postRating, removeEvent } from './events.handlers';
import { createEvent, deleteEvent, eventIcs, getEvent, listEvents, rankedEvents, rateEvent, uploadPhoto } from './events.routes';

// /events/ranked before /events/{id}: "ranked" is not an id.
export const eventsRouter = createRouter()
  .openapi(listEvents, getEvents)
  .openapi(createEvent, postEvent)
  .openapi(rankedEvents, getRankedEvents)
  .openapi(getEvent, getOneEvent)
  .openapi(deleteEvent, removeEvent)
  .openapi(rateEvent, postRating)
  .openapi(eventIcs, getEventIcs)
  .openapi(uploadPhoto, postPhoto);
