/** How GET /api/events/stream authenticates: EventSource cannot send headers, so a ticket may stand in for the token. */
import { bearerToken, type CredentialSource, sessionOfToken } from '../../auth/authenticate';
import { ApiError } from '../../errors';
import { redeemTicket } from '../../live/tickets';

/** Query parameters that would carry a long-lived credential in a URL (logs, history, referrers). */
const CREDENTIAL_PARAMS = ['token', 'jwt', 'access_token'];

/**
 * The stream's credentials: the Bearer token, or else a ticket (consumed
 * here). A credential in the URL is refused: it would end up in logs.
 */
export const bearerOrStreamTicket: CredentialSource = async (c) => {
  if (CREDENTIAL_PARAMS.some((name) => c.req.query(name) !== undefined)) {
    throw new ApiError(
      'unauthorized',
      'Tokens are not accepted in the URL: send the Authorization header or use a stream ticket.',
    );
  }
  const token = bearerToken(c);
  const ticket = c.req.query('ticket');
  if (token || ticket === undefined) return sessionOfToken(c, token);
  const session = await redeemTicket(c.var.db, ticket);
  if (!session) throw new ApiError('invalid_token', 'The stream ticket is unknown, used or expired.');
  return session;
};
