/**
 * The 5,000 most common passwords of 8 characters or more, lower-cased, and
 * a few German favourites, sorted (neighbours share prefixes, so the file
 * compresses a sixth better in the bundle; a set has no order). Taken from the ranked
 * password list of @zxcvbn-ts/language-common 4.1.3 (MIT, (c) 2012-2016 Dan
 * Wheeler and Dropbox, Inc., (c) 2021 @zxcvbn-ts). Shorter passwords are
 * refused by the length rule anyway.
 *
 * The list itself is data, common-passwords.txt (one password per line),
 * imported as a text module: wrangler.toml's Text rule bundles it for the
 * Worker and the vitest runtime, scripts/text-modules.mjs loads it the same
 * way in Node. It is split once, when this module loads.
 */
import text from './common-passwords.txt';

export const COMMON_PASSWORDS: readonly string[] = Object.freeze(text.split(/\r?\n/).filter((line) => line !== ''));
