/** Random codes people type: `groups` dash-separated groups of `length` characters, each equally likely. */
export function randomGroups(alphabet: string, groups: number, length: number): string {
  const chars: string[] = [];
  // Rejection sampling: bytes past the last whole multiple of the alphabet would favour its start.
  const limit = 256 - (256 % alphabet.length);
  while (chars.length < groups * length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
      if (byte < limit && chars.length < groups * length) chars.push(alphabet[byte % alphabet.length]!);
    }
  }
  const out = [];
  for (let i = 0; i < groups; i++) out.push(chars.slice(i * length, (i + 1) * length).join(''));
  return out.join('-');
}
