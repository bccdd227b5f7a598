import { createRouter } from '../../lib/create-router';
import { getStream, postTicket } from './stream.handlers';
import { createTicket, openStream } from './stream.routes';

export const streamRouter = createRouter().openapi(createTicket, postTicket).openapi(openStream, getStream);
