#!/usr/bin/env node
// A tiny application backend for Switchboard's proxies (node:http only, no dependencies).
//
//   GET  /                     the chat page: a login form, or the chat once logged in
//   POST /login, POST /logout  sets / clears the `session` cookie (HttpOnly, SameSite=Lax)
//   GET  /chat.js              the page's script; GET /centrifuge.js: centrifuge-js from node_modules
//   POST /centrifugo/connect   connect proxy: who is this connection? (by the session cookie)
//   POST /centrifugo/subscribe subscribe proxy: may this user subscribe to that channel?
//   POST /centrifugo/publish   publish proxy: is this message valid? What gets published instead?
//   POST /centrifugo/rpc       RPC proxy: answers the `whoami` method
//
// Environment: PORT (default 3000; 0 = any free port), HOST (default 127.0.0.1), SWITCHBOARD_URL
// (the WebSocket URL the page connects to; default ws://localhost:8000/connection/websocket).
// Prints `proxy-backend listening on http://HOST:PORT` once it listens. See README.md.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import process from 'node:process';
import { URL, URLSearchParams } from 'node:url';

const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT || 3000);
const SWITCHBOARD_URL = websocketUrl(process.env.SWITCHBOARD_URL || 'ws://localhost:8000');
const CHANNEL = 'chat:lobby';
const MAX_TEXT = 500;
const MAX_BODY = 64 * 1024;
const NAME = /^[\p{L}\p{N} _.-]{1,32}$/u;
const FILES = {
  '/chat.js': new URL('./public/chat.js', import.meta.url),
  '/centrifuge.js': new URL('../../node_modules/centrifuge/dist/centrifuge.js', import.meta.url),
};

/** Session id → { user, name }. In memory: restarting the backend logs everyone out. */
const sessions = new Map();

/** `ws://localhost:8000` → `ws://localhost:8000/connection/websocket`; a full URL stays as it is. */
function websocketUrl(value) {
  const url = new URL(value);
  if (url.pathname === '/') url.pathname = '/connection/websocket';
  return url.toString();
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

function cookies(header) {
  const out = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

function sessionOf(cookieHeader) {
  return sessions.get(cookies(cookieHeader).session);
}

// --- The proxy handlers: Switchboard POSTs Centrifugo's proxy request bodies, these answer -------

const proxies = {
  /** Who is connecting? The browser sent its cookies on the WebSocket upgrade; `http_headers: ["Cookie"]` passes them on. */
  connect(body, headers) {
    const session = sessionOf(headers.cookie);
    if (session === undefined) {
      log(`connect   ${body.client}: no valid session -> disconnect 4501`);
      // 4500-4999: terminal, the client does not reconnect.
      return { disconnect: { code: 4501, reason: 'unauthorized' } };
    }
    log(`connect   ${body.client}: ${session.user}`);
    return { result: { user: session.user, info: { name: session.name } } };
  },

  /** Any logged-in user may join the chat rooms. */
  subscribe(body) {
    const allowed = Boolean(body.user) && typeof body.channel === 'string' && body.channel.startsWith('chat:');
    log(`subscribe ${body.user} -> ${body.channel}: ${allowed ? 'allowed' : 'refused'}`);
    return allowed ? { result: {} } : { error: { code: 403, message: 'permission denied' } };
  },

  /** Validates the message and publishes the server's version of it: the author and time are stamped here, not trusted from the client. */
  publish(body) {
    const text = typeof body.data?.text === 'string' ? body.data.text.trim() : '';
    const length = [...text].length;
    if (length === 0 || length > MAX_TEXT) {
      log(`publish   ${body.user} -> ${body.channel}: refused (${length} characters)`);
      return { error: { code: 400, message: `text must be 1 to ${MAX_TEXT} characters` } };
    }
    log(`publish   ${body.user} -> ${body.channel}: ${length} characters`);
    return { result: { data: { text, author: body.user, time: new Date().toISOString() } } };
  },

  /** RPC over the WebSocket. Custom error codes must be within 400-1999. */
  rpc(body) {
    log(`rpc       ${body.user}: ${body.method}`);
    if (body.method === 'whoami') return { result: { data: { user: body.user, client: body.client } } };
    return { error: { code: 404, message: `unknown method "${body.method ?? ''}"` } };
  },
};

// --- The page ------------------------------------------------------------------------------------

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(session, error = '') {
  const config = JSON.stringify({ switchboardUrl: SWITCHBOARD_URL, channel: CHANNEL }).replace(/</g, '\\u003c');
  const body = session === undefined
    ? `<main class="card login">
  <h1>Switchboard proxy example</h1>
  <p>Log in with any name. The backend keeps a session for it and the chat's WebSocket is
  authenticated by that session's cookie, through Switchboard's connect proxy: no token.</p>
  <form method="post" action="/login">
    <label for="name">Name</label>
    <input id="name" name="name" required maxlength="32" autocomplete="username" autofocus>
    <button type="submit">Log in</button>
  </form>
  ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
</main>`
    : `<main class="card chat">
  <header>
    <h1>#${escapeHtml(CHANNEL.split(':')[1])}</h1>
    <span id="status" class="status">connecting…</span>
    <span class="me">Logged in as <b>${escapeHtml(session.name)}</b></span>
    <form method="post" action="/logout"><button type="submit" class="quiet">Log out</button></form>
  </header>
  <p id="warning" class="error" hidden></p>
  <ol id="messages" aria-live="polite"></ol>
  <form id="send" class="send">
    <input id="text" placeholder="Say something (1 to ${MAX_TEXT} characters)" autocomplete="off">
    <button type="submit">Send</button>
  </form>
  <p id="error" class="error" role="alert"></p>
  <footer>
    <button id="whoami" type="button" class="quiet">Who am I? (RPC)</button>
    <output id="whoami-result"></output>
  </footer>
</main>
<script type="application/json" id="config">${config}</script>
<script src="/centrifuge.js"></script>
<script src="/chat.js"></script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard proxy example</title>
<link rel="icon" href="data:,">
<style>
  :root { color-scheme: light dark; --line: #8884; --muted: #777; --accent: #2563eb; }
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; padding: 2rem 1rem; background: Canvas; }
  .card { max-width: 40rem; margin: 0 auto; padding: 1.25rem 1.5rem; border: 1px solid var(--line); border-radius: 10px; }
  h1 { font-size: 1.25rem; margin: 0; }
  .login h1 { margin-bottom: .5rem; }
  .login form { display: flex; gap: .5rem; align-items: center; margin-top: 1rem; }
  header { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; padding-bottom: .75rem; border-bottom: 1px solid var(--line); }
  header form { margin-left: auto; }
  .me { color: var(--muted); }
  .status { font-size: .8rem; padding: .1rem .5rem; border-radius: 999px; background: #8882; }
  .status.connected { background: #16a34a22; color: #15803d; }
  .status.disconnected { background: #dc262622; color: #b91c1c; }
  ol { list-style: none; margin: 0; padding: .75rem 0; height: 16rem; overflow-y: auto; }
  li { padding: .3rem 0; }
  li .author { font-weight: 600; margin-right: .4rem; }
  li time { color: var(--muted); font-size: .8rem; margin-right: .5rem; font-variant-numeric: tabular-nums; }
  li.empty { color: var(--muted); font-style: italic; }
  .send { display: flex; gap: .5rem; padding-top: .75rem; border-top: 1px solid var(--line); }
  input { flex: 1; font: inherit; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: Field; color: FieldText; }
  button { font: inherit; white-space: nowrap; flex: none; padding: .45rem .9rem; border: 0; border-radius: 6px; background: var(--accent); color: white; cursor: pointer; }
  button.quiet { background: #8882; color: inherit; }
  .error { color: #dc2626; min-height: 1.2em; margin: .5rem 0 0; }
  footer { display: flex; gap: .75rem; align-items: center; color: var(--muted); }
  output { font-family: ui-monospace, monospace; font-size: .85rem; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

// --- HTTP ----------------------------------------------------------------------------------------

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers }).end(body);
}

function redirectHome(res, cookie) {
  res.writeHead(303, { location: '/', 'set-cookie': cookie }).end();
}

async function handle(req, res) {
  const { pathname } = new URL(req.url ?? '/', 'http://backend');
  const route = `${req.method} ${pathname}`;

  if (pathname.startsWith('/centrifugo/') && req.method === 'POST') {
    const handler = proxies[pathname.slice('/centrifugo/'.length)];
    if (handler === undefined) throw new HttpError(404, 'no such proxy endpoint');
    let body;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw new HttpError(400, 'the body is not JSON');
    }
    return send(res, 200, 'application/json', JSON.stringify(handler(body, req.headers)));
  }

  switch (route) {
    case 'GET /':
      return send(res, 200, 'text/html; charset=utf-8', page(sessionOf(req.headers.cookie)));
    case 'POST /login': {
      const name = (new URLSearchParams(await readBody(req)).get('name') ?? '').trim();
      if (!NAME.test(name)) {
        return send(res, 400, 'text/html; charset=utf-8', page(undefined, 'A name is 1 to 32 letters, digits, spaces, dots, dashes or underscores.'));
      }
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, { user: name, name });
      log(`login     ${name}`);
      // Cookies are not port-specific: set by localhost:3000, this one also goes to ws://localhost:8000.
      return redirectHome(res, `session=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400`);
    }
    case 'POST /logout': {
      await readBody(req);
      const id = cookies(req.headers.cookie).session;
      if (id !== undefined) sessions.delete(id);
      return redirectHome(res, 'session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
    }
  }

  if (req.method === 'GET' && Object.hasOwn(FILES, pathname)) {
    let script;
    try {
      script = await readFile(FILES[pathname]);
    } catch {
      throw new HttpError(500, `${pathname} is missing: run \`npm ci\` in the Switchboard repository`);
    }
    return send(res, 200, 'text/javascript; charset=utf-8', script);
  }
  throw new HttpError(404, 'not found');
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => {
    const status = error instanceof HttpError ? error.status : 500;
    if (status === 500) log(`error: ${error.stack ?? error}`);
    if (!res.headersSent) send(res, status, 'text/plain; charset=utf-8', `${error.message}\n`);
    else res.destroy();
  });
});

server.listen(PORT, HOST, () => {
  const { port } = server.address();
  log(`proxy-backend listening on http://${HOST.includes(':') ? `[${HOST}]` : HOST}:${port}`);
  // The page must be on the host name the WebSocket goes to, or the browser keeps the cookie to itself.
  const pageUrl = new URL(SWITCHBOARD_URL.replace(/^ws/, 'http'));
  pageUrl.port = String(port);
  log(`  open ${pageUrl.origin}/ (the page connects to ${SWITCHBOARD_URL})`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
