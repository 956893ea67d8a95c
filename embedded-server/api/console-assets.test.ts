import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_SECURITY_HEADERS, serveConsole } from './console-assets.js';

describe('console page security headers', () => {
  let dir: string;
  let server: Server;
  let base: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'console-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
    writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
    const handle = serveConsole(dir, 'secret-token');
    server = createServer((req, res) => {
      if (!handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const p of ['/', '/assets/app.js']) {
    it(`sends a CSP that forbids framing, no referrer and nosniff on ${p}`, async () => {
      const res = await fetch(`${base}${p}`);
      assert.equal(res.status, 200);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /object-src 'none'/);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
    });
  }

  it('the built console has no inline script or external source its CSP would block', { skip: !existsSync(builtIndex()) && 'console not built' }, () => {
    const html = readFileSync(builtIndex(), 'utf8');
    assert.match(CONSOLE_SECURITY_HEADERS['content-security-policy'], /script-src 'self'/);
    // Every <script> has a same-origin src and no body; no stylesheet or script from another origin.
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      assert.match(m[1], /src="\.?\/[^/]/, `script without a same-origin src: ${m[0].slice(0, 120)}`);
      assert.equal(m[2].trim(), '', 'an inline script');
    }
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'a resource from another origin');
  });
});

function builtIndex(): string {
  return fileURLToPath(new URL('../../dist/console/index.html', import.meta.url));
}
