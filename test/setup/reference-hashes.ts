/**
 * Runs in Node when vitest loads its config: Argon2id hashes of the fixture
 * passwords made by the `argon2` package, which wraps the reference C
 * implementation (the one the original CakePlanner server links), at the
 * original's parameters m=65536, t=3, p=4. The tests then check that our
 * verifier (the `argon2id` wasm package) accepts hashes it did not make.
 *
 * `reference` is the package's own PHC string; `original` is the same salt
 * and hash in the order the C library writes (m,t,p), as the original's
 * database holds them.
 */
import argon2 from 'argon2';
import { ORIGINAL_PASSWORDS, type OriginalPasswordName } from '../import/original-passwords.ts';

// A type alias, not an interface: miniflare bindings must be plain JSON.
export type ReferenceHash = {
  reference: string;
  original: string;
};

export async function referenceHashes(): Promise<Record<OriginalPasswordName, ReferenceHash>> {
  const entries = await Promise.all(
    Object.entries(ORIGINAL_PASSWORDS).map(async ([name, password]) => {
      const reference = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 65536, timeCost: 3, parallelism: 4 });
      const [, , version, , salt, hash] = reference.split('$');
      return [name, { reference, original: `$argon2id$${version}$m=65536,t=3,p=4$${salt}$${hash}` }] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<OriginalPasswordName, ReferenceHash>;
}
