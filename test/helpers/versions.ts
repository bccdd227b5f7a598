import { expect, it } from 'vitest';

/**
 * One test per change: in a fresh world, the change must give the member a
 * new version (what their remembered pages are checked against).
 */
export function eachChangeMovesVersion<W extends { me: { id: string } }>(
  world: () => Promise<W>,
  versionOf: (userId: string) => Promise<string>,
  changes: [string, (w: W) => Promise<unknown>][],
): void {
  for (const [what, change] of changes) {
    it(what, async () => {
      const w = await world();
      const before = await versionOf(w.me.id);
      await change(w);
      expect(await versionOf(w.me.id)).not.toBe(before);
    });
  }
}
