/**
 * The request's statements wait for the session check. `authenticate()`
 * closes the gate as soon as it knows whose token it holds; the check opens
 * it for its own batch (which carries the handler's queries along) and keeps
 * it open once the caller has passed. A statement sent before that — a
 * handler that writes first and checks after, or never — fails before it
 * reaches D1, so nothing of it commits. Unauthenticated routes never close it.
 */
import { aroundTrips } from './intercept';

export class StatementGate {
  #open = true;
  #passing = false;

  close(): void {
    this.#open = false;
  }

  open(): void {
    this.#open = true;
  }

  /**
   * Sends what `send` sends while the gate is closed. drizzle hands its
   * statements to the binding in the same turn as `db.batch()` is called, so
   * only that call passes, not a statement another promise sends meanwhile.
   */
  pass<T>(send: () => T): T {
    this.#passing = true;
    try {
      return send();
    } finally {
      this.#passing = false;
    }
  }

  /** `real`, refusing every round trip while the gate is closed. */
  guard(real: D1Database): D1Database {
    return aroundTrips(real, (run) =>
      this.#open || this.#passing ? run() : Promise.reject(new Error('a D1 statement was sent before c.var.auth.check()')),
    );
  }
}
