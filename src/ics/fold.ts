/**
 * RFC 5545 §3.1 line folding by octets, not characters: umlauts take two
 * octets and emoji four, and a fold never splits a UTF-8 sequence.
 */
const MAX_OCTETS = 75;
const encoder = new TextEncoder();

export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let currentOctets = 0;
  let limit = MAX_OCTETS;
  for (const ch of line) {
    const octets = encoder.encode(ch).length;
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
