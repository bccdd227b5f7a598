/** The URL rules of channels (src/channels/url-rules.ts), as functions: every notation of a forbidden address. */
import { describe, expect, it } from 'vitest';
import { checkChannelUrl, loopbackAllowed, maskUrl } from '../../src/channels/url-rules';

const deployed = { CHANNELS_ALLOW_LOOPBACK: '', PUBLIC_URL: 'https://cake.example.org' };
const reason = (kind: Parameters<typeof checkChannelUrl>[0], url: string, env = deployed) => {
  const verdict = checkChannelUrl(kind, url, env);
  return verdict.ok ? 'ok' : verdict.reason;
};

describe('url rules', () => {
  it('accepts each platform’s own hosts and any public https host for the generic kind', () => {
    expect(reason('slack', 'https://hooks.slack.com/services/T1/B2/xyz')).toBe('ok');
    expect(reason('discord', 'https://discord.com/api/webhooks/1/abc')).toBe('ok');
    expect(reason('discord', 'https://discordapp.com/api/webhooks/1/abc')).toBe('ok');
    expect(reason('teams', 'https://prod-01.westeurope.logic.azure.com/workflows/x/triggers/manual/paths/invoke?sig=1')).toBe(
      'ok',
    );
    expect(reason('teams', 'https://default1a2b.c3.environment.api.powerplatform.com/powerautomate/x')).toBe('ok');
    expect(reason('webhook', 'https://hooks.example.org/cake')).toBe('ok');
    expect(reason('webhook', 'https://hooks.example.org:443/cake')).toBe('ok');
  });

  it('refuses another platform’s host or path', () => {
    expect(reason('slack', 'https://hooks.slack.com.evil.org/services/x')).toMatch(/hooks\.slack\.com/);
    expect(reason('slack', 'https://discord.com/api/webhooks/1/abc')).toMatch(/hooks\.slack\.com/);
    expect(reason('discord', 'https://discord.com/channels/1')).toMatch(/discord\.com\/api\/webhooks/);
    expect(reason('teams', 'https://logic.azure.com.evil.org/x')).toMatch(/logic\.azure\.com/);
    expect(reason('teams', 'https://outlook.office.com/webhook/x')).toMatch(/logic\.azure\.com/);
  });

  it('refuses anything but https on port 443', () => {
    expect(reason('webhook', 'http://hooks.example.org/cake')).toBe('Only https URLs');
    expect(reason('webhook', 'ftp://hooks.example.org/cake')).toBe('Only https URLs');
    expect(reason('webhook', 'https://hooks.example.org:8443/cake')).toBe('Only the default port (443)');
    expect(reason('webhook', 'https://hooks.example.org:80/cake')).toBe('Only the default port (443)');
    expect(reason('webhook', 'not a url')).toBe('Not a URL');
    expect(reason('webhook', `https://hooks.example.org/${'x'.repeat(2100)}`)).toMatch(/At most/);
  });

  it('refuses IP literals in every notation', () => {
    for (const host of [
      '127.0.0.1',
      '10.0.0.1',
      '169.254.169.254',
      '2130706433', // decimal
      '017700000001', // octal
      '0x7f000001', // hex
      '0x7f.0.0.1',
      '0177.0.0.1',
      '127.1',
      '[::1]',
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
      '[fd00::1]',
      '[0:0:0:0:0:0:0:1]',
    ]) {
      expect(reason('webhook', `https://${host}/hook`), host).toBe('A host name, not an IP address');
    }
  });

  it('refuses local and private names', () => {
    for (const host of [
      'localhost',
      'api.localhost',
      'db.internal',
      'printer.local',
      'nas.home.arpa',
      'intranet',
      'box.lan',
      'x.test',
    ]) {
      expect(reason('webhook', `https://${host}/hook`), host).toMatch(/host/);
    }
    expect(reason('webhook', 'https://hooks.example.org./hook')).toBe('A public host name');
  });

  it('refuses user info in the URL', () => {
    expect(reason('webhook', 'https://user:pass@hooks.example.org/hook')).toBe('No user name or password in the URL');
    expect(reason('webhook', 'https://hooks.slack.com@evil.org/hook')).toBe('No user name or password in the URL');
    expect(reason('slack', 'https://x@hooks.slack.com/services/1')).toBe('No user name or password in the URL');
  });

  it('masks a URL to its scheme, host and last 4 characters', () => {
    expect(maskUrl('https://hooks.slack.com/services/T1/B2/secretWXYZ')).toBe('https://hooks.slack.com/…WXYZ');
  });
});

describe('loopback override', () => {
  const local = { CHANNELS_ALLOW_LOOPBACK: 'on', PUBLIC_URL: 'http://localhost:8787' };

  it('lets a webhook channel reach 127.0.0.1 or localhost on any port over http, locally', () => {
    expect(loopbackAllowed(local)).toBe(true);
    expect(reason('webhook', 'http://127.0.0.1:9999/hook', local)).toBe('ok');
    expect(reason('webhook', 'http://localhost:4000/hook', local)).toBe('ok');
    expect(loopbackAllowed({ CHANNELS_ALLOW_LOOPBACK: 'on', PUBLIC_URL: 'http://127.0.0.1:8787/' })).toBe(true);
  });

  it('is only for the generic kind and only for loopback hosts', () => {
    expect(reason('slack', 'http://127.0.0.1:9999/hook', local)).not.toBe('ok');
    expect(reason('webhook', 'http://10.0.0.1:9999/hook', local)).toBe('Only https URLs');
    expect(reason('webhook', 'http://[::1]:9999/hook', local)).toBe('Only https URLs');
    expect(reason('webhook', 'http://user@127.0.0.1:9999/hook', local)).toBe('No user name or password in the URL');
  });

  it('has no effect when deployed: a https or empty PUBLIC_URL, another host, or the flag off', () => {
    for (const env of [
      { CHANNELS_ALLOW_LOOPBACK: 'on', PUBLIC_URL: 'https://cake.example.org' },
      { CHANNELS_ALLOW_LOOPBACK: 'on', PUBLIC_URL: '' },
      { CHANNELS_ALLOW_LOOPBACK: 'on', PUBLIC_URL: 'https://localhost:8787' },
      { CHANNELS_ALLOW_LOOPBACK: 'on', PUBLIC_URL: 'http://localhost.evil.org' },
      { CHANNELS_ALLOW_LOOPBACK: 'on', PUBLIC_URL: 'http://cake.example.org' },
      { CHANNELS_ALLOW_LOOPBACK: 'true', PUBLIC_URL: 'http://localhost:8787' },
      { CHANNELS_ALLOW_LOOPBACK: '', PUBLIC_URL: 'http://localhost:8787' },
    ]) {
      expect(loopbackAllowed(env), JSON.stringify(env)).toBe(false);
      expect(reason('webhook', 'http://127.0.0.1:9999/hook', env)).toBe('Only https URLs');
    }
  });
});
