/**
 * The renderer's stylesheet inlines its icons as `data:` URLs, which a CSP of
 * `img-src 'self'` blocks. Each one is moved to its own same-origin URL
 * (`<base><name>`), served from memory, so the page needs nothing but 'self'.
 */
interface DocsImage {
  type: string;
  body: Uint8Array<ArrayBuffer>;
}

export interface Stylesheet {
  css: string;
  images: Map<string, DocsImage>;
}

const EXTENSIONS: Record<string, string> = {
  'image/svg+xml': 'svg',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** `url("…")`, `url('…')` or `url(…)`, with CSS escapes inside the quotes. */
const URL_TOKEN = /url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)"'\s]*))\s*\)/g;

const unescapeCss = (s: string) =>
  s.replace(/\\([0-9a-fA-F]{1,6}\s?|[\s\S])/g, (_, e: string) =>
    /^[0-9a-fA-F]/.test(e) ? String.fromCodePoint(parseInt(e, 16)) : e,
  );

/** The bytes and media type of a `data:` URL, or null for a type we do not move. */
function decodeDataUrl(url: string): DocsImage | null {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma < 0) return null;
  const [type = '', ...params] = url.slice(5, comma).split(';');
  if (!EXTENSIONS[type.toLowerCase()]) return null;
  const data = url.slice(comma + 1);
  if (params.some((p) => p.toLowerCase() === 'base64')) {
    return { type: type.toLowerCase(), body: Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0)) };
  }
  let text = data;
  try {
    text = decodeURIComponent(data);
  } catch {
    // A stray `%` is taken literally, as browsers do.
  }
  return { type: type.toLowerCase(), body: new Uint8Array(new TextEncoder().encode(text)) };
}

export function externalizeDataUrls(css: string, base: string): Stylesheet {
  const images = new Map<string, DocsImage>();
  const names = new Map<string, string>();
  const out = css.replace(URL_TOKEN, (token, dq?: string, sq?: string, bare?: string) => {
    const url = unescapeCss(dq ?? sq ?? bare ?? '');
    const image = decodeDataUrl(url);
    if (!image) return token;
    let name = names.get(url);
    if (!name) {
      name = `icon-${names.size + 1}.${EXTENSIONS[image.type]}`;
      names.set(url, name);
      images.set(name, image);
    }
    return `url("${base}${name}")`;
  });
  return { css: out, images };
}
