import { createRouter } from '../../lib/create-router';
import * as handlers from './assignments.handlers';
import * as routes from './assignments.routes';

export const assignmentsRouter = createRouter()
  .openapi(routes.createAssignment, handlers.createAssignment)
  .openapi(routes.listOwnAssignments, handlers.listOwnAssignments)
  .openapi(routes.acceptAssignment, handlers.acceptAssignment)
  .openapi(routes.declineAssignment, handlers.declineAssignment)
  .openapi(routes.withdrawAssignment, handlers.withdrawAssignment);
