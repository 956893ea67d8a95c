/** Electron security decisions (security.ts) and the app scheme's file serving (app-protocol.ts). */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveAppFile, serveAppRequest } from './app-protocol.js';
import {
  appUrl, contentSecurityPolicy, isExternalLink, judgeNavigation, permissionAllowed, secureWebPreferences, senderAllowed,
} from './security.js';

describe('window security', () => {
  it('gives every window context isolation, the sandbox, no Node and no webviews; dev tools only in development', () => {
    const prefs = secureWebPreferences('/app/preload.cjs', false);
    assert.deepEqual(
      { ...prefs },
      {
        preload: '/app/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
        experimentalFeatures: false, navigateOnDragDrop: false, safeDialogs: true, spellcheck: false, devTools: false,
      },
    );
    assert.equal(secureWebPreferences('/p', true).devTools, true);
  });

  it('lets a page navigate within its own origin only, sends http(s) to the browser and refuses the rest', () => {
    assert.equal(judgeNavigation('switchboard://console/index.html#/events', 'console'), 'allow');
    assert.equal(judgeNavigation('switchboard://settings/index.html', 'console'), 'deny');
    assert.equal(judgeNavigation('https://centrifugal.dev/', 'console'), 'external');
    assert.equal(judgeNavigation('http://127.0.0.1:8001/', 'settings'), 'external');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,hi', 'switchboard://elsewhere/x', 'not a url']) {
      assert.equal(judgeNavigation(url, 'console'), 'deny', url);
    }
    assert.equal(isExternalLink('mailto:a@b.c'), false);
  });

  it('answers IPC only from the main frame of the page\'s own window', () => {
    const ids = new Set([3]);
    assert.equal(senderAllowed({ frameUrl: appUrl('console'), isMainFrame: true, windowId: 3 }, 'console', ids), true);
    assert.equal(senderAllowed({ frameUrl: appUrl('console'), isMainFrame: false, windowId: 3 }, 'console', ids), false);
    assert.equal(senderAllowed({ frameUrl: appUrl('console'), isMainFrame: true, windowId: 4 }, 'console', ids), false);
    assert.equal(senderAllowed({ frameUrl: 'https://evil.example/', isMainFrame: true, windowId: 3 }, 'console', ids), false);
    assert.equal(senderAllowed({ frameUrl: null, isMainFrame: true, windowId: 3 }, 'console', ids), false);
    assert.equal(senderAllowed({ frameUrl: appUrl('console'), isMainFrame: true, windowId: null }, 'console', ids), false);
  });

  it('lets the console connect only to its admin API, with no inline scripts, frames, plugins or forms', () => {
    const csp = contentSecurityPolicy('ws://127.0.0.1:8001/admin');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:8001 http:\/\/127\.0\.0\.1:8001(;|$)/);
    for (const rule of ["object-src 'none'", "frame-src 'none'", "frame-ancestors 'none'", "form-action 'none'", "base-uri 'none'"]) assert.ok(csp.includes(rule), rule);
    assert.match(contentSecurityPolicy('wss://ops.example/admin'), /connect-src 'self' wss:\/\/ops\.example https:\/\/ops\.example/);
    assert.match(contentSecurityPolicy(null), /connect-src 'self'(;|$)/);
    assert.match(contentSecurityPolicy('javascript:alert(1)'), /connect-src 'self'(;|$)/);
  });

  it('grants the clipboard write permission and nothing else', () => {
    assert.equal(permissionAllowed('clipboard-sanitized-write'), true);
    for (const p of ['notifications', 'media', 'geolocation', 'openExternal', 'clipboard-read']) assert.equal(permissionAllowed(p), false, p);
  });
});

describe('the switchboard:// scheme', () => {
  let root: string;
  let roots: { console: string; settings: string };
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'switchboard-scheme-'));
    roots = { console: join(root, 'console'), settings: join(root, 'settings') };
    mkdirSync(join(roots.console, 'assets'), { recursive: true });
    mkdirSync(roots.settings);
    writeFileSync(join(roots.console, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(roots.console, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'secret.txt'), 'not for pages');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('serves the page\'s files with their type and the CSP', async () => {
    const index = await serveAppRequest('switchboard://console/', roots, () => "default-src 'none'");
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(index.headers.get('content-security-policy'), "default-src 'none'");
    assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await index.text(), /id="root"/);
    const script = await serveAppRequest('switchboard://console/assets/app.js', roots, () => '');
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  });

  it('never reads outside the page\'s folder, nor for an unknown host', async () => {
    for (const url of ['switchboard://console/../secret.txt', 'switchboard://console/%2e%2e/secret.txt', 'switchboard://console/..%2fsecret.txt',
      'switchboard://other/index.html', 'file:///etc/passwd', 'switchboard://console/%00']) {
      const file = resolveAppFile(url, roots);
      assert.ok(file === null || file.startsWith(roots.console), `${url} → ${file}`);
      assert.equal((await serveAppRequest(url, roots, () => '')).status, 404, url);
    }
    assert.equal((await serveAppRequest('switchboard://settings/index.html', roots, () => '')).status, 404, 'nothing there yet');
  });
});
