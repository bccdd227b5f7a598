/**
 * createApp(): the whole HTTP surface, assembled. Middleware order matters:
 * request id first (every response, errors included, carries it), the
 * request's log line (src/lib/request-log.ts), then headers, CORS, the path
 * and body guards, the per-request database and the one-time admin bootstrap.
 */
import { requestId } from 'hono/request-id';
import { bootstrapOnce } from './bootstrap/admin';
import { docsRouter } from './docs';
import { DOCS_CSP, DOCS_PATH } from './docs/page';
import { corsForOrigins } from './lib/cors';
import { createRouter } from './lib/create-router';
import { answerError } from './lib/error-mapping';
import { bodyGuard, database, pathGuard } from './lib/middleware';
import { notFoundFor } from './lib/not-found';
import { serveOpenApiDocument } from './lib/openapi-document';
import { requestLog } from './lib/request-log';
import { securityHeaders } from './lib/security-headers';
import { adminRouter } from './routes/admin';
import { answerRouter } from './routes/answer';
import { assignmentsRouter } from './routes/assignments';
import { authRouter } from './routes/auth';
import { calendarRouter } from './routes/calendar';
import { channelsRouter } from './routes/channels';
import { eventsRouter } from './routes/events';
import { handoversRouter } from './routes/handovers';
import { homeRouter } from './routes/home';
import { photosRouter } from './routes/photos';
import { planningRouter } from './routes/planning';
import { streamRouter } from './routes/stream';
import { systemRouter } from './routes/system';
import { userRouter } from './routes/user';

export function createApp() {
  const app = createRouter();

  app.use(requestId({ headerName: 'X-Request-Id' }));
  app.use('*', requestLog);
  app.use('*', securityHeaders({ path: DOCS_PATH, policy: DOCS_CSP }));
  app.use('*', corsForOrigins);
  app.use('*', pathGuard);
  app.use('*', bodyGuard);
  app.use('*', database);
  app.use('*', bootstrapOnce);

  // The stream router precedes the events router: /events/stream is not /events/{id}.
  const routers = [
    systemRouter,
    authRouter,
    userRouter,
    adminRouter,
    streamRouter,
    eventsRouter,
    photosRouter,
    calendarRouter,
    planningRouter,
    assignmentsRouter,
    answerRouter,
    handoversRouter,
    channelsRouter,
  ];
  for (const router of routers) app.route('/api', router);
  app.route('/', homeRouter);
  app.route('/', docsRouter);
  serveOpenApiDocument(app);

  app.notFound(notFoundFor(app.routes));
  app.onError(answerError);
  return app;
}
