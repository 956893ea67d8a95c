/**
 * No secret in any log line or error message (issue 11 §5): `switchboard serve` with known secrets,
 * then every bad-auth path (wrong API key in header, Authorization and query; wrong admin token;
 * a foreign Origin and Host on the admin port; a connection token signed with another secret). No
 * reply and no line the supervisor or its nodes wrote after the banner holds a secret.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import WebSocket from 'ws';
import { mintConnectionToken } from '../embedded-server/index.js';
import { startServe } from './support/serve-process.js';
import type { ServeProcess } from './support/serve-process.js';
import { closed } from './support/test-cluster.js';

const TOKEN_SECRET = 'fuzz-known-token-secret-5b1f0c';
const API_KEY = 'fuzz-known-api-key-9d2e4a';

describe('secrets in output', () => {
  let serve: ServeProcess;
  before(async () => {
    serve = await startServe(['--port', '0', '--admin-port', '0'], { env: { SWITCHBOARD_TOKEN_SECRET: TOKEN_SECRET, SWITCHBOARD_API_KEY: API_KEY } });
  });
  after(() => serve.stop());

  it('writes no secret to a reply or a log line on any bad-auth path', async () => {
    const banner = serve.output().length;
    const secrets = [TOKEN_SECRET, API_KEY, serve.adminToken];
    const near = (s: string): string[] => secrets.flatMap((x) => [x, x.slice(0, 12), `${x}x`.slice(1)]).filter((x) => s.includes(x));
    const replies: string[] = [];
    const post = async (path: string, headers: Record<string, string>): Promise<void> => {
      const res = await fetch(`${serve.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"channel":"chat:x","data":{}}' });
      replies.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
    };
    await post('/publish', { 'x-api-key': `${API_KEY}x` });
    await post('/publish', { authorization: `apikey ${API_KEY.slice(0, -1)}` });
    await post(`/publish?api_key=${API_KEY}x`, {});
    const admin = new URL(serve.adminUrl);
    for (const [headers, query] of [
      [{}, `?token=${serve.adminToken}x`],
      [{ authorization: `Bearer ${serve.adminToken.slice(1)}` }, ''],
      [{ origin: 'http://evil.example' }, `?token=${serve.adminToken}`],
      [{ host: 'evil.example' }, `?token=${serve.adminToken}`],
    ] as [Record<string, string>, string][]) {
      replies.push(await upgrade(admin, query, headers));
    }
    const forged = await mintConnectionToken({ secret: `${TOKEN_SECRET}-other`, user: 'mallory' });
    const ws = new WebSocket(serve.clientUrl);
    await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const messages: string[] = [];
    ws.on('message', (d: Buffer) => messages.push(d.toString()));
    ws.send(JSON.stringify({ id: 1, connect: { token: forged } }));
    const close = await closed(ws);
    replies.push(`${close.code} ${close.reason} ${messages.join('\n')}`);
    await new Promise((r) => setTimeout(r, 500));
    for (const r of replies) assert.deepEqual(near(r), [], `a secret in the reply ${r.slice(0, 300)}`);
    const logged = serve.output().slice(banner);
    assert.deepEqual(near(logged), [], `a secret in the output:\n${logged.slice(0, 2000)}`);
    assert.deepEqual(replies.map((r) => r.split(' ')[0]), ['401', '401', '401', '401', '401', '403', '421', '3500'], 'every bad-auth path was refused');
  });
});

/** A WebSocket upgrade request to the admin port; answers the raw status line, headers and body. */
function upgrade(admin: URL, query: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: admin.hostname, port: admin.port, path: `${admin.pathname}${query}`,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(`${res.statusCode} ${JSON.stringify(res.headers)} ${body}`));
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(`${res.statusCode} upgraded`);
    });
    req.on('error', reject);
    req.end();
  });
}
