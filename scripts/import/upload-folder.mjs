// The original's upload folder (data/uploads): files by their bare names.
// Symbolic links are never followed: a link there could make the import copy
// any image-typed file the operator can read into R2.
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';

/** @returns {import('./photos.ts').UploadFolder & { path(name: string): string }} */
export function uploadFolder(dir) {
  return {
    async entry(name) {
      const info = await lstat(join(dir, name)).catch(() => null);
      if (!info) return { kind: 'missing' };
      if (info.isSymbolicLink()) return { kind: 'symlink' };
      return info.isFile() ? { kind: 'file', size: info.size } : { kind: 'not a file' };
    },
    async read(name) {
      // O_NOFOLLOW: a file swapped for a link after it was looked at is not read through it either.
      const file = await open(join(dir, name), constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        if (!(await file.stat()).isFile()) throw new Error(`${join(dir, name)} is no longer a regular file.`);
        return new Uint8Array(await file.readFile());
      } finally {
        await file.close();
      }
    },
    path: (name) => join(dir, name),
  };
}
