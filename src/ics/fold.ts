/**
 * RFC 5545 §3.1 line folding by octets, not characters: umlauts take two
 * octets and emoji four, and a fold never splits a UTF-8 sequence.
 */
const MAX_OCTETS = 75;

/** UTF-8 length of one code point (a `for … of` step over a string). */
const octetsOf = (ch: string) => {
  const cp = ch.codePointAt(0)!;
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
};

export function foldLine(line: string): string {
  // Most lines are short: even at four octets a character they fit.
  if (line.length * 4 <= MAX_OCTETS) return line;
  const parts: string[] = [];
  let current = '';
  let currentOctets = 0;
  let limit = MAX_OCTETS;
  for (const ch of line) {
    const octets = octetsOf(ch);
    if (currentOctets + octets > limit) {
      parts.push(current);
      current = '';
      currentOctets = 0;
      // Continuation lines start with a space, which counts towards their 75 octets.
      limit = MAX_OCTETS - 1;
    }
    current += ch;
    currentOctets += octets;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
