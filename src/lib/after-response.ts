/**
 * Work a request starts but does not wait for (live messages, mail, cache
 * writes, R2 clean-up): the Worker keeps it running after the response.
 * The one place handlers hand such work over, so what runs in the background
 * is found by this name.
 */
export function afterResponse(c: { executionCtx: Pick<ExecutionContext, 'waitUntil'> }, work: Promise<unknown>): void {
  c.executionCtx.waitUntil(work);
}
