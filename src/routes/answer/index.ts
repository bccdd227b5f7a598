import { createRouter } from '../../lib/create-router';
import * as handlers from './answer.handlers';
import * as routes from './answer.routes';

/** The one-click pages of mails: public, signed per assignment and answer, or per hand-over offer or swap request and member. */
export const answerRouter = createRouter()
  .openapi(routes.showAnswerPage, handlers.showAnswerPage)
  .openapi(routes.submitAnswerPage, handlers.submitAnswerPage)
  .openapi(routes.showTakePage, handlers.showTakePage)
  .openapi(routes.submitTakePage, handlers.submitTakePage)
  .openapi(routes.showSwapPage, handlers.showSwapPage)
  .openapi(routes.submitSwapPage, handlers.submitSwapPage);
