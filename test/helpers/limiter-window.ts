/**
 * The local rate limiters count in fixed windows aligned to the wall-clock
 * period (miniflare's RateLimiterObject): a count that has to last over many
 * requests breaks when a window boundary falls among them. Such a check runs
 * here: an attempt that straddled a boundary, passing or failing, is run once
 * more, with fresh subjects, from just after that boundary. An attempt that
 * stayed inside one window decides, so the outcome never depends on the clock.
 */
const windowOf = (periodMs: number) => Math.floor(Date.now() / periodMs);

export async function inOneLimiterWindow<T>(attempt: () => Promise<T>, periodMs = 60_000): Promise<T> {
  for (let tries = 1; ; tries++) {
    // Date.now() before the first request is no later than the limiter's first count, and
    // after the last response no earlier than its last one: equal windows mean one window.
    const start = windowOf(periodMs);
    try {
      const result = await attempt();
      if (windowOf(periodMs) === start || tries === 2) return result;
    } catch (error) {
      if (windowOf(periodMs) === start || tries === 2) throw error;
    }
  }
}
