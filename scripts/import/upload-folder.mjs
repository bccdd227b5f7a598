// The original's upload folder (data/uploads): files by their bare names.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** @returns {import('./photos.ts').UploadFolder & { path(name: string): string }} */
export function uploadFolder(dir) {
  return {
    async size(name) {
      const info = await stat(join(dir, name)).catch(() => null);
      return info?.isFile() ? info.size : null;
    },
    read: async (name) => new Uint8Array(await readFile(join(dir, name))),
    path: (name) => join(dir, name),
  };
}
