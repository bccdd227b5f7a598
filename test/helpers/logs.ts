/** What the Worker logs: every console line, as written and as parsed (each line is one JSON object). */
import { env } from 'cloudflare:workers';
import { onTestFinished, vi } from 'vitest';

export interface CapturedLogs {
  /** Every line as written (an Error argument with its message, stack and cause). */
  lines: string[];
  /** The lines parsed as JSON; a line that is not one object fails the test. */
  entries(): Record<string, unknown>[];
}

/**
 * Captures console output until `vi.restoreAllMocks()`, info lines included
 * (the suite runs with `LOG_LEVEL=warn`, vitest.config.ts) until the test ends.
 */
export function captureLogs(): CapturedLogs {
  const settings = env as { LOG_LEVEL?: string };
  const level = settings.LOG_LEVEL;
  settings.LOG_LEVEL = 'info';
  onTestFinished(() => {
    settings.LOG_LEVEL = level;
  });
  const lines: string[] = [];
  for (const level of ['error', 'warn', 'log', 'info', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack} ${String(a.cause)}` : String(a))).join(' '));
    });
  }
  return {
    lines,
    entries: () =>
      lines.map((line) => {
        const entry = JSON.parse(line);
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`not a JSON object: ${line}`);
        return entry;
      }),
  };
}
