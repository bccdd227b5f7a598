import { createRouter } from '../../lib/create-router';
import * as handlers from './answer.handlers';
import * as routes from './answer.routes';

/** The one-click pages of assignment mails: public, signed per assignment and answer. */
export const answerRouter = createRouter()
  .openapi(routes.showAnswerPage, handlers.showAnswerPage)
  .openapi(routes.submitAnswerPage, handlers.submitAnswerPage);
