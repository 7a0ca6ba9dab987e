import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendError, sendJson } from '../../../src/bridge/httpIo';
import {
  type AllowedOrigin,
  allowedHosts,
  checkHost,
  checkOrigin,
  checkToken,
  corsHeaders,
  guardRequest,
  headerValues,
  newToken,
  normalizeOrigin,
  preflight,
  redact,
  SOCKET_PROTOCOL,
  selectSubprotocol,
  socketProtocolsFor,
  tokenFromLiveScriptUrl,
  tokenFromRequest,
  tokenFromSubprotocol,
} from '../../../src/bridge/security';
import { LiveVariantsError } from '../../../src/core/errors';

const PORT = 43117;
const TOKEN = 'q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof LiveVariantsError) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('checkHost', () => {
  const hostile: Array<[string, string | string[] | undefined]> = [
    ['missing', undefined],
    ['empty', ''],
    ['no header values at all', []],
    ['attacker name with our port (DNS rebinding)', `evil.com:${PORT}`],
    ['attacker name without port', 'evil.com'],
    ['localhost without port', 'localhost'],
    ['127.0.0.1 without port', '127.0.0.1'],
    ['[::1] without port', '[::1]'],
    ['localhost on another port', `localhost:${PORT + 1}`],
    ['127.0.0.1 on another port', '127.0.0.1:8080'],
    ['[::1] on another port', '[::1]:80'],
    ['localhost as a subdomain of an attacker', `localhost.evil.com:${PORT}`],
    ['loopback-resolving wildcard DNS', `127.0.0.1.nip.io:${PORT}`],
    ['trailing dot on localhost', `localhost.:${PORT}`],
    ['trailing dot on 127.0.0.1', `127.0.0.1.:${PORT}`],
    ['0.0.0.0', `0.0.0.0:${PORT}`],
    ['other 127/8 address', `127.0.0.2:${PORT}`],
    ['IPv4-mapped IPv6 loopback', `[::ffff:127.0.0.1]:${PORT}`],
    ['IPv4-mapped IPv6 loopback in hex', `[::ffff:7f00:1]:${PORT}`],
    ['long-form IPv6 loopback', `[0:0:0:0:0:0:0:1]:${PORT}`],
    ['IPv6 loopback with zone id', `[::1%lo]:${PORT}`],
    ['unbracketed IPv6', `::1:${PORT}`],
    ['userinfo before loopback', `a@127.0.0.1:${PORT}`],
    ['loopback as userinfo before attacker', `127.0.0.1:${PORT}@evil.com`],
    ['leading whitespace', ` 127.0.0.1:${PORT}`],
    ['trailing whitespace', `127.0.0.1:${PORT} `],
    ['whitespace before the port', `127.0.0.1 :${PORT}`],
    ['tab inside', `localhost:\t${PORT}`],
    ['two values joined by a comma', `127.0.0.1:${PORT}, evil.com`],
    ['two Host headers, good first', [`127.0.0.1:${PORT}`, 'evil.com']],
    ['two Host headers, good second', ['evil.com', `127.0.0.1:${PORT}`]],
    ['two identical good Host headers', [`127.0.0.1:${PORT}`, `127.0.0.1:${PORT}`]],
    ['IDN homograph with Cyrillic o', `l\u043ecalhost:${PORT}`],
    ['fullwidth localhost', `\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54:${PORT}`],
    ['punycode name', `xn--lcalhost-9za:${PORT}`],
    ['short IPv4 form', `127.1:${PORT}`],
    ['decimal IPv4', `2130706433:${PORT}`],
    ['hex IPv4', `0x7f000001:${PORT}`],
    ['leading zero in port', `127.0.0.1:0${PORT}`],
    ['plus sign in port', `localhost:+${PORT}`],
    ['port twice', `localhost:${PORT}:${PORT}`],
    ['path after the port', `127.0.0.1:${PORT}/`],
    ['fragment after the port', `127.0.0.1:${PORT}#`],
    ['a URL instead of a host', `http://127.0.0.1:${PORT}`],
    ['uppercase attacker subdomain', `LOCALHOST.EVIL.COM:${PORT}`],
    ['NUL byte', `localhost:${PORT}\u0000`],
  ];

  it.each(hostile)('refuses %s', (_name, value) => {
    expect(codeOf(() => checkHost(value, PORT))).toBe('host_not_allowed');
  });

  it('lists at least 25 hostile Host values', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(25);
  });

  const good: Array<string | string[]> = [
    `127.0.0.1:${PORT}`,
    `localhost:${PORT}`,
    `[::1]:${PORT}`,
    `LOCALHOST:${PORT}`,
    `LocalHost:${PORT}`,
    [`localhost:${PORT}`],
  ];
  it.each(good)('accepts the loopback Host %j with the bridge port', (value) => {
    expect(codeOf(() => checkHost(value, PORT))).toBe('accepted');
  });

  it('refuses every Host when the configured port is not a valid TCP port', () => {
    expect(codeOf(() => checkHost('localhost:0', 0))).toBe('host_not_allowed');
    expect(codeOf(() => checkHost('localhost:70000', 70000))).toBe('host_not_allowed');
    expect(codeOf(() => checkHost('localhost:NaN', Number.NaN))).toBe('host_not_allowed');
  });

  it('names the accepted spellings in the error and never echoes the refused value', () => {
    try {
      checkHost(`evil-${'x'.repeat(5000)}.com:${PORT}`, PORT);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LiveVariantsError);
      const e = err as LiveVariantsError;
      expect(e.field).toBe('host');
      expect(e.message).toBe(
        `The Host header must be 127.0.0.1:${PORT}, localhost:${PORT} or [::1]:${PORT}; ` +
          'the bridge only answers requests addressed to this machine by a loopback name.',
      );
    }
  });

  it('allowedHosts lists exactly the three loopback spellings', () => {
    expect(allowedHosts(5)).toEqual(['127.0.0.1:5', 'localhost:5', '[::1]:5']);
  });
});

describe('checkOrigin', () => {
  const allowList = ['https://preview.example.com', 'http://192.168.1.20:3000'];
  const hostile: Array<[string, string | string[]]> = [
    ['opaque origin', 'null'],
    ['empty', ''],
    ['a wildcard', '*'],
    ['attacker https', 'https://evil.com'],
    ['attacker on the dev-server port', 'http://evil.com:5173'],
    ['localhost as attacker subdomain', 'http://localhost.evil.com:5173'],
    ['loopback-resolving wildcard DNS', 'http://127.0.0.1.nip.io:5173'],
    ['allowed origin as attacker prefix', 'https://preview.example.com.evil.com'],
    ['suffix match of an allowed host', 'https://evilpreview.example.com'],
    ['subdomain of an allowed host', 'https://sub.preview.example.com'],
    ['allowed host with the wrong scheme', 'http://preview.example.com'],
    ['allowed host with the wrong port', 'https://preview.example.com:8443'],
    ['allowed LAN host on another port', 'http://192.168.1.20:3001'],
    ['allowed LAN host on the default port', 'http://192.168.1.20'],
    ['0.0.0.0', 'http://0.0.0.0:5173'],
    ['other 127/8 address', 'http://127.0.0.2:5173'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:5173'],
    ['short IPv4 loopback (not canonical)', 'http://127.1:5173'],
    ['uppercase (not canonical)', 'HTTP://LOCALHOST:5173'],
    ['explicit default port (not canonical)', 'http://localhost:80'],
    ['trailing slash', 'http://localhost:5173/'],
    ['a path', 'http://localhost:5173/app'],
    ['userinfo', 'http://user@localhost:5173'],
    ['trailing dot', 'http://localhost.:5173'],
    ['leading whitespace', ' http://localhost:5173'],
    ['file scheme', 'file://'],
    ['browser extension', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'],
    ['websocket scheme', 'ws://localhost:5173'],
    ['two origins joined', 'http://localhost:5173, https://evil.com'],
    ['two Origin headers', ['http://localhost:5173', 'https://evil.com']],
  ];

  it.each(hostile)('refuses %s', (_name, value) => {
    expect(codeOf(() => checkOrigin(value, allowList))).toBe('origin_not_allowed');
  });

  it('lists at least 10 hostile Origin values', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(10);
  });

  const good = [
    'http://localhost:5173',
    'http://127.0.0.1:8080',
    'http://[::1]:3000',
    'https://localhost:5173',
    'http://localhost',
    'https://preview.example.com',
    'http://192.168.1.20:3000',
  ];
  it.each(good)('accepts %s and returns it unchanged', (value) => {
    expect(checkOrigin(value, allowList)).toBe(value);
  });

  it('lets a request without Origin through (CLI, curl) as null', () => {
    expect(checkOrigin(undefined, allowList)).toBeNull();
    expect(checkOrigin([], allowList)).toBeNull();
  });

  it('refuses a request without Origin when an Origin is required', () => {
    expect(codeOf(() => checkOrigin(undefined, allowList, { required: true }))).toBe('origin_not_allowed');
  });

  it('compares against normalized allow-list entries', () => {
    expect(checkOrigin('https://preview.example.com', ['  HTTPS://Preview.Example.com/ '])).toBe(
      'https://preview.example.com',
    );
    expect(checkOrigin('http://box.local:3000', ['http://box.local:3000/'])).toBe('http://box.local:3000');
  });

  it('treats wildcard and pattern allow-list entries as matching nothing', () => {
    expect(codeOf(() => checkOrigin('https://evil.com', ['*']))).toBe('origin_not_allowed');
    expect(codeOf(() => checkOrigin('https://a.example.com', ['https://*.example.com']))).toBe(
      'origin_not_allowed',
    );
    expect(codeOf(() => checkOrigin('https://example.com', ['example.com']))).toBe('origin_not_allowed');
  });

  it('normalizeOrigin keeps scheme://host:port and refuses everything that is not an origin', () => {
    expect(normalizeOrigin('HTTP://LocalHost:3000/')).toBe('http://localhost:3000');
    expect(normalizeOrigin('https://example.com:443')).toBe('https://example.com');
    expect(normalizeOrigin('https://example.com/path')).toBeNull();
    expect(normalizeOrigin('https://user:pw@example.com')).toBeNull();
    expect(normalizeOrigin('https://*.example.com')).toBeNull();
    expect(normalizeOrigin('ftp://example.com')).toBeNull();
    expect(normalizeOrigin('example.com')).toBeNull();
    expect(normalizeOrigin('https://example.com?x=1')).toBeNull();
  });
});

describe('CORS', () => {
  it('corsHeaders sends only Vary for a non-browser client', () => {
    expect(corsHeaders(null)).toEqual({ Vary: 'Origin' });
  });

  it('corsHeaders echoes an allowed origin, never *', () => {
    const origin = checkOrigin('http://localhost:5173', []) as AllowedOrigin;
    expect(corsHeaders(origin)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'http://localhost:5173',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    });
  });

  const policy = { port: PORT, allowedOrigins: [] };
  const preflightHeaders = {
    host: `127.0.0.1:${PORT}`,
    origin: 'http://localhost:5173',
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'authorization, content-type',
  };

  it('preflight answers 204 with the CORS headers and a max age', () => {
    expect(preflight({ headers: preflightHeaders }, policy)).toEqual({
      status: 204,
      headers: {
        Vary: 'Origin',
        'Access-Control-Allow-Origin': 'http://localhost:5173',
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type',
        'Access-Control-Max-Age': '600',
      },
    });
  });

  it('preflight grants Private Network Access only when asked', () => {
    const result = preflight(
      { headers: { ...preflightHeaders, 'access-control-request-private-network': 'true' } },
      policy,
    );
    expect(result.headers['Access-Control-Allow-Private-Network']).toBe('true');
  });

  it('preflight refuses a bad host, a missing or foreign origin, other methods and other headers', () => {
    expect(
      codeOf(() => preflight({ headers: { ...preflightHeaders, host: `evil.com:${PORT}` } }, policy)),
    ).toBe('host_not_allowed');
    const { origin: _o, ...noOrigin } = preflightHeaders;
    expect(codeOf(() => preflight({ headers: noOrigin }, policy))).toBe('origin_not_allowed');
    expect(
      codeOf(() => preflight({ headers: { ...preflightHeaders, origin: 'https://evil.com' } }, policy)),
    ).toBe('origin_not_allowed');
    expect(
      codeOf(() =>
        preflight({ headers: { ...preflightHeaders, 'access-control-request-method': 'DELETE' } }, policy),
      ),
    ).toBe('method_not_allowed');
    expect(
      codeOf(() =>
        preflight(
          { headers: { ...preflightHeaders, 'access-control-request-headers': 'authorization, x-evil' } },
          policy,
        ),
      ),
    ).toBe('header_not_allowed');
  });
});

describe('token', () => {
  it('newToken is 32 random bytes in base64url', () => {
    expect(newToken((n) => Buffer.alloc(n, 0xab))).toBe(TOKEN);
    expect(newToken((n) => Buffer.from(Array.from({ length: n }, (_, i) => i)))).toBe(
      'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
    );
    const real = newToken();
    expect(real).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(real);
  });

  const refused: Array<[string, string | undefined]> = [
    ['missing', undefined],
    ['empty', ''],
    ['wrong', 'not-the-token'],
    ['a prefix of the real one', TOKEN.slice(0, -1)],
    ['the first half', TOKEN.slice(0, 20)],
    ['the real one plus extra characters', `${TOKEN}x`],
    ['the real one twice', TOKEN + TOKEN],
    ['different case', TOKEN.toUpperCase()],
    ['leading whitespace', ` ${TOKEN}`],
    ['trailing whitespace', `${TOKEN} `],
    ['trailing newline', `${TOKEN}\n`],
    ['the scheme included', `Bearer ${TOKEN}`],
  ];
  it.each(refused)('checkToken refuses %s', (_name, presented) => {
    expect(codeOf(() => checkToken(presented, TOKEN))).toBe('unauthorized');
  });

  it('checkToken accepts exactly the real token', () => {
    expect(codeOf(() => checkToken(TOKEN, TOKEN))).toBe('accepted');
  });

  it('checkToken refuses everything when the expected token is empty', () => {
    expect(codeOf(() => checkToken('', ''))).toBe('unauthorized');
  });

  it('checkToken says whether the token was missing or wrong, without echoing it', () => {
    const messages: string[] = [];
    for (const presented of [undefined, 'secret-guess-123']) {
      try {
        checkToken(presented, TOKEN);
      } catch (err) {
        messages.push((err as LiveVariantsError).message);
      }
    }
    expect(messages).toEqual([
      'The bridge token is missing. Send "Authorization: Bearer <token>"; the token is in .live-variants/bridge.json.',
      'The bridge token is wrong. Read the current one from .live-variants/bridge.json (it changes when rotated).',
    ]);
  });

  const authorization: Array<[string, string | undefined]> = [
    [`Bearer ${TOKEN}`, TOKEN],
    [`bearer ${TOKEN}`, TOKEN],
    [`BEARER ${TOKEN}`, TOKEN],
    [`Basic ${TOKEN}`, undefined],
    [`Token ${TOKEN}`, undefined],
    [TOKEN, undefined],
    [`Bearer  ${TOKEN}`, undefined],
    [`Bearer ${TOKEN} extra`, undefined],
    [`Bearer\t${TOKEN}`, undefined],
    ['Bearer', undefined],
    ['Bearer ', undefined],
    [`Bearer ${TOKEN},Bearer x`, undefined],
  ];
  it.each(authorization)('tokenFromRequest reads %j as %j', (header, expected) => {
    expect(tokenFromRequest({ headers: { authorization: header } })).toBe(expected);
  });

  it('tokenFromRequest refuses two Authorization headers (Node keeps only the first in headers)', () => {
    const req = {
      headers: { authorization: `Bearer ${TOKEN}` },
      rawHeaders: ['Authorization', `Bearer ${TOKEN}`, 'Authorization', 'Bearer other'],
    };
    expect(tokenFromRequest(req)).toBeUndefined();
    expect(tokenFromRequest({ headers: {} })).toBeUndefined();
  });

  const subprotocols: Array<[string | string[] | undefined, string | undefined]> = [
    [`live-variants.v1, token.${TOKEN}`, TOKEN],
    [`token.${TOKEN}, live-variants.v1`, TOKEN],
    [`live-variants.v1,token.${TOKEN}`, TOKEN],
    [['live-variants.v1', `token.${TOKEN}`], TOKEN],
    [`token.${TOKEN}`, undefined],
    ['live-variants.v1', undefined],
    ['live-variants.v1, token.', undefined],
    [`live-variants.v1, token.${TOKEN}, token.other`, undefined],
    ['live-variants.v1, token.a=b', undefined],
    [`live-variants.v2, token.${TOKEN}`, undefined],
    [undefined, undefined],
  ];
  it.each(subprotocols)('tokenFromSubprotocol reads %j as %j', (header, expected) => {
    expect(tokenFromSubprotocol(header)).toBe(expected);
  });

  it('the socket offers our protocol plus the token carrier and the server selects only ours', () => {
    const offered = socketProtocolsFor(TOKEN);
    expect(offered).toEqual(['live-variants.v1', `token.${TOKEN}`]);
    expect(tokenFromSubprotocol(offered.join(', '))).toBe(TOKEN);
    expect(selectSubprotocol(new Set(offered))).toBe(SOCKET_PROTOCOL);
    expect(selectSubprotocol(new Set([`token.${TOKEN}`]))).toBe(false);
  });

  const scriptUrls: Array<[string | undefined, string | undefined]> = [
    [`/live.js?token=${TOKEN}`, TOKEN],
    [`/live.js?v=2&token=${TOKEN}`, TOKEN],
    ['/live.js', undefined],
    ['/live.js?token=', undefined],
    [`/live.js?token=${TOKEN}&token=other`, undefined],
    [`/v1/status?token=${TOKEN}`, undefined],
    [`/v1/socket?token=${TOKEN}`, undefined],
    [`/live.js/?token=${TOKEN}`, undefined],
    [`//evil.com/live.js?token=${TOKEN}`, undefined],
    [`http://127.0.0.1/live.js?token=${TOKEN}`, undefined],
    [undefined, undefined],
  ];
  it.each(scriptUrls)(
    'tokenFromLiveScriptUrl reads %j as %j (query token on /live.js only)',
    (url, expected) => {
      expect(tokenFromLiveScriptUrl(url)).toBe(expected);
    },
  );

  it('redact removes the token and credential-shaped text', () => {
    expect(redact(`connect ${TOKEN} and ${TOKEN}`, TOKEN)).toBe('connect [redacted] and [redacted]');
    expect(redact('Authorization: Bearer abc.def-ghi', 'zzzzzzzz')).toBe('Authorization: Bearer [redacted]');
    expect(redact('GET /live.js?token=abc123&v=1', 'zzzzzzzz')).toBe('GET /live.js?token=[redacted]&v=1');
    expect(redact('protocols live-variants.v1, token.abcdefghijk', 'zzzzzzzz')).toBe(
      'protocols live-variants.v1, token.[redacted]',
    );
    expect(redact('nothing secret here', '')).toBe('nothing secret here');
  });
});

describe('guardRequest', () => {
  const good = {
    host: `127.0.0.1:${PORT}`,
    origin: 'http://localhost:5173',
    authorization: `Bearer ${TOKEN}`,
  };
  const policy = { port: PORT, allowedOrigins: [], token: TOKEN, auth: 'bearer' as const };

  it('checks Host first, then Origin, then the token', () => {
    const allBad = { host: 'evil.com', origin: 'https://evil.com', authorization: 'Bearer nope' };
    expect(codeOf(() => guardRequest({ headers: allBad }, policy))).toBe('host_not_allowed');
    expect(codeOf(() => guardRequest({ headers: { ...allBad, host: good.host } }, policy))).toBe(
      'origin_not_allowed',
    );
    expect(
      codeOf(() => guardRequest({ headers: { ...allBad, host: good.host, origin: good.origin } }, policy)),
    ).toBe('unauthorized');
    expect(guardRequest({ headers: good }, policy)).toBe('http://localhost:5173');
  });

  it('lets public routes through without a token but still checks Host and Origin', () => {
    const publicPolicy = { ...policy, auth: 'none' as const };
    expect(guardRequest({ headers: { host: good.host } }, publicPolicy)).toBeNull();
    expect(codeOf(() => guardRequest({ headers: { host: 'evil.com' } }, publicPolicy))).toBe(
      'host_not_allowed',
    );
    expect(codeOf(() => guardRequest({ headers: { host: good.host, origin: 'null' } }, publicPolicy))).toBe(
      'origin_not_allowed',
    );
  });

  it('accepts the token from the subprotocol only for socket upgrades', () => {
    const headers = {
      host: good.host,
      origin: good.origin,
      'sec-websocket-protocol': socketProtocolsFor(TOKEN).join(', '),
    };
    expect(guardRequest({ headers }, { ...policy, auth: 'socket' })).toBe('http://localhost:5173');
    expect(codeOf(() => guardRequest({ headers }, policy))).toBe('unauthorized');
  });

  it('requires an Origin for the browser token grant', () => {
    const grant = { ...policy, auth: 'none' as const, requireOrigin: true };
    expect(codeOf(() => guardRequest({ headers: { host: good.host } }, grant))).toBe('origin_not_allowed');
    expect(guardRequest({ headers: { host: good.host, origin: good.origin } }, grant)).toBe(good.origin);
  });

  it('headerValues reads duplicates from rawHeaders and falls back to headers', () => {
    expect(headerValues({ headers: { host: 'a' }, rawHeaders: ['Host', 'a', 'HOST', 'b'] }, 'host')).toEqual([
      'a',
      'b',
    ]);
    expect(headerValues({ headers: { host: 'a' } }, 'Host')).toEqual(['a']);
    expect(headerValues({ headers: {} }, 'host')).toEqual([]);
  });
});

describe('the gate on a real server', () => {
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      try {
        const origin = guardRequest(req, { port, allowedOrigins: [], token: TOKEN, auth: 'bearer' });
        sendJson(res, 200, { ok: true }, corsHeaders(origin));
      } catch (err) {
        sendError(res, err);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function rawRequest(headerLines: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`GET /v1/status HTTP/1.1\r\n${headerLines.join('\r\n')}\r\nConnection: close\r\n\r\n`);
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => {
        text += d;
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
  }

  it('refuses a second Host header that Node itself would silently drop', async () => {
    const response = await rawRequest([
      `Host: 127.0.0.1:${port}`,
      'Host: evil.com',
      `Authorization: Bearer ${TOKEN}`,
    ]);
    expect(response.startsWith('HTTP/1.1 421 ')).toBe(true);
    expect(response).toContain('"error":"host_not_allowed"');
  });

  it('refuses a rebinding Host with 421 and answers a proper request with 200', async () => {
    const rebinding = await rawRequest([`Host: evil.com:${port}`, `Authorization: Bearer ${TOKEN}`]);
    expect(rebinding.startsWith('HTTP/1.1 421 ')).toBe(true);
    const ok = await rawRequest([
      `Host: localhost:${port}`,
      'Origin: http://localhost:5173',
      `Authorization: Bearer ${TOKEN}`,
    ]);
    expect(ok.startsWith('HTTP/1.1 200 ')).toBe(true);
    expect(ok).toContain('Access-Control-Allow-Origin: http://localhost:5173');
    expect(ok).toContain('Vary: Origin');
    expect(ok.endsWith('{"ok":true}')).toBe(true);
  });

  it('refuses a wrong token with 401 and no token in the body', async () => {
    const response = await rawRequest([`Host: 127.0.0.1:${port}`, `Authorization: Bearer ${TOKEN}x`]);
    expect(response.startsWith('HTTP/1.1 401 ')).toBe(true);
    expect(response).not.toContain(TOKEN);
  });
});
