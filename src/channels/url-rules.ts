/**
 * The URL rules of a channel, checked when it is created and again before
 * every delivery (a rule tightened later applies to stored channels too):
 * `https` only, port 443, no user info, a host name (no IP literal in any
 * notation: the URL parser turns decimal, octal and hex IPv4 forms into the
 * dotted one, and IPv6 hosts keep their brackets), not a local or private
 * name, and per kind the platform's own hosts.
 *
 * The loopback override is for local tests only: `CHANNELS_ALLOW_LOOPBACK=on`
 * counts only while `PUBLIC_URL` is itself a plain-HTTP loopback origin
 * (`http://localhost…`, `http://127.0.0.1…`), which no deployment has; then a
 * `webhook` channel may reach `127.0.0.1`/`localhost` on any port over HTTP.
 */
import type { ChannelKind } from '../db/schema';

export const MAX_URL_LENGTH = 2048;

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** Where loopback is allowed: set on purpose, and only on a local development origin. */
export interface LoopbackSwitch {
  CHANNELS_ALLOW_LOOPBACK?: string;
  PUBLIC_URL?: string;
}

const LOCAL_ORIGIN = /^http:\/\/(?:localhost|127\.0\.0\.1)(?::\d{1,5})?\/?$/;

export const loopbackAllowed = (env: LoopbackSwitch) =>
  env.CHANNELS_ALLOW_LOOPBACK === 'on' && LOCAL_ORIGIN.test(env.PUBLIC_URL ?? '');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** Names that never reach a public service (RFC 6761, RFC 8375, common private suffixes). */
const PRIVATE_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'intranet',
  'lan',
  'home',
  'home.arpa',
  'corp',
  'private',
  'test',
  'invalid',
  'example',
  'onion',
];

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Per kind: does the platform own this host and path. */
const PLATFORM: Record<Exclude<ChannelKind, 'webhook'>, { test: (url: URL) => boolean; reason: string }> = {
  slack: { test: (u) => u.hostname === 'hooks.slack.com', reason: 'A Slack channel’s URL is on hooks.slack.com' },
  discord: {
    test: (u) => (u.hostname === 'discord.com' || u.hostname === 'discordapp.com') && u.pathname.startsWith('/api/webhooks/'),
    reason: 'A Discord channel’s URL is https://discord.com/api/webhooks/…',
  },
  teams: {
    test: (u) => u.hostname.endsWith('.logic.azure.com') || u.hostname.endsWith('.environment.api.powerplatform.com'),
    reason: 'A Teams channel’s URL is a Workflows URL on *.logic.azure.com or *.environment.api.powerplatform.com',
  },
};

export function checkChannelUrl(kind: ChannelKind, raw: string, env: LoopbackSwitch): UrlVerdict {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `At most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'Not a URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'No user name or password in the URL' };
  const host = url.hostname.toLowerCase();
  if (kind === 'webhook' && LOOPBACK_HOSTS.has(host) && (url.protocol === 'http:' || url.protocol === 'https:')) {
    if (loopbackAllowed(env)) return { ok: true, url };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'Only https URLs' };
  if (url.port !== '') return { ok: false, reason: 'Only the default port (443)' };
  if (host.startsWith('[') || IPV4.test(host)) return { ok: false, reason: 'A host name, not an IP address' };
  if (host.endsWith('.') || !host.includes('.')) return { ok: false, reason: 'A public host name' };
  if (PRIVATE_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`)))
    return { ok: false, reason: 'Not a local or private host' };
  if (kind !== 'webhook' && !PLATFORM[kind].test(url)) return { ok: false, reason: PLATFORM[kind].reason };
  return { ok: true, url };
}

/** What the API shows of a URL: scheme, host and the last 4 characters. */
export function maskUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}/…${url.slice(-4)}`;
}
