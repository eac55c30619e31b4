/**
 * Tests of the system WebKit engine on its own: tiny Express servers on two ports of 127.0.0.1
 * (a "site" and an "api", so navigations and XHRs between them are cross-origin), no part of
 * the suite's servers or scenarios. Run with:
 *   npx playwright test --project=webkitgtk-driver
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';
import cors from 'cors';
import express, { type Express } from 'express';
import getPort from 'get-port';
import { EngineUnavailableError, type Engine, type EnginePage } from '../framework/engines/engine.js';
import { launchWebKitGtk } from '../framework/engines/webkitgtk/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT_ROOT = join(HERE, '..', '..');
const BROWSER_PROCESS = /Xvfb|MiniBrowser|WebKit\w*Process/;

interface Servers {
  /** http://127.0.0.1:<site port> */
  site: string;
  /** http://127.0.0.1:<api port> */
  api: string;
  /** The api through another host name: cross-site, so WebKit swaps the WebContent process. */
  apiLocalhost: string;
  /** How many CORS preflights the api answered for `id`. */
  preflights(id: string): number;
}

const test = base.extend<{ enginePage: EnginePage }, { servers: Servers; engine: Engine }>({
  servers: [
    async ({}, use) => {
      const preflightCounts = new Map<string, number>();
      const site = express();
      const api = express();
      for (const app of [site, api]) addCommonRoutes(app);
      // Allows the site's origin with credentials, PUT and a custom header, cached for 10 minutes.
      const preflighted = cors({
        origin: true,
        credentials: true,
        methods: ['PUT'],
        allowedHeaders: ['x-test'],
        maxAge: 600,
      });
      api.options('/preflight/:id', (req, res, next) => {
        preflightCounts.set(req.params.id, (preflightCounts.get(req.params.id) ?? 0) + 1);
        preflighted(req, res, next);
      });
      api.put('/preflight/:id', preflighted, (_req, res) => {
        res.json({ ok: true });
      });
      // 200 without any Access-Control-* header: a credentialed cross-origin XHR is blocked.
      api.get('/no-cors', (_req, res) => {
        res.json({ secret: 42 });
      });
      const [siteServer, apiServer] = await Promise.all([listen(site), listen(api)]);
      await use({
        site: `http://127.0.0.1:${port(siteServer)}`,
        api: `http://127.0.0.1:${port(apiServer)}`,
        apiLocalhost: `http://localhost:${port(apiServer)}`,
        preflights: (id) => preflightCounts.get(id) ?? 0,
      });
      await Promise.all([close(siteServer), close(apiServer)]);
    },
    { scope: 'worker' },
  ],
  engine: [
    async ({}, use) => {
      const engine = await launchWebKitGtk();
      await use(engine);
      await engine.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  enginePage: async ({ engine }, use) => {
    const page = await engine.newPage();
    await use(page);
    await page.close();
  },
});

test.describe.configure({ mode: 'parallel' });

test('engine info names the system WebKitGTK', async ({ engine }) => {
  expect(engine.info).toMatchObject({ name: 'webkit', kind: 'system' });
  expect(engine.info.version).toMatch(/^\d+\.\d+\.\d+$/);
  expect(engine.info.description).toBe(
    `WebKitGTK ${engine.info.version} MiniBrowser (system) via WebKit remote inspector under Xvfb`,
  );
});

test('goto + evaluate', async ({ enginePage: page, servers }) => {
  await page.goto(`${servers.site}/page`);
  expect(await page.evaluate('location.href')).toBe(`${servers.site}/page`);
  expect(await page.evaluate('1 + 1')).toBe(2);
  expect(await page.evaluate('({ a: [1, "x", null], b: { c: true } })')).toEqual({ a: [1, 'x', null], b: { c: true } });
  expect(await page.evaluate('null')).toBeNull();
  expect(await page.evaluate('undefined')).toBeUndefined();
  // Like Playwright's page.evaluate(string): a function is called.
  expect(await page.evaluate('() => document.title')).toBe('site');
  await expect(page.evaluate('throw new TypeError("bad")')).rejects.toThrow('TypeError: bad');
  await expect(page.evaluate('document.querySelector(')).rejects.toThrow(/SyntaxError/);
});

test('evaluate awaits promises, and rejects with the rejection', async ({ enginePage: page, servers }) => {
  await page.goto(`${servers.site}/page`);
  expect(await page.evaluate('new Promise((resolve) => setTimeout(() => resolve({ done: true }), 50))')).toEqual({ done: true });
  expect(await page.evaluate('fetch("/cookie-echo").then((r) => r.json())')).toEqual({ cookie: null });
  expect(await page.evaluate('async () => 7')).toBe(7);
  await expect(page.evaluate('Promise.reject(new Error("nope"))')).rejects.toThrow('Error: nope');
});

test('evaluate takes and returns 4 MB (the inspector server limits frames to 128 KiB)', async ({ enginePage: page, servers }) => {
  await page.goto(`${servers.site}/page`);
  const big = 'x€'.repeat(2 * 1024 * 1024);
  expect(await page.evaluate(`${JSON.stringify(big)}.length`)).toBe(big.length);
  expect(await page.evaluate<string>(`'y€'.repeat(${2 * 1024 * 1024})`)).toHaveLength(4 * 1024 * 1024);
  expect(await page.evaluate('location.href')).toBe(`${servers.site}/page`);
});

test('navigation across ports and sites keeps the page usable', async ({ enginePage: page, servers }) => {
  // Same site (127.0.0.1), other port: same WebContent process.
  await page.goto(`${servers.site}/page?log=on-site`);
  await page.goto(`${servers.api}/page?log=on-api`);
  expect(await page.evaluate('location.origin')).toBe(servers.api);
  // Other site (localhost): the page target is swapped for a new process's.
  await page.goto(`${servers.apiLocalhost}/page?log=on-localhost`);
  expect(await page.evaluate('location.origin')).toBe(servers.apiLocalhost);
  await page.goto(`${servers.site}/page?log=back-on-site`);
  expect(await page.evaluate('location.origin')).toBe(servers.site);
  expect(await page.evaluate('fetch("/cookie-echo").then((r) => r.ok)')).toBe(true);
  // Console was enabled in every new target before its first script ran.
  expect(page.messages().map((m) => m.text)).toEqual(['on-site', 'on-api', 'on-localhost', 'back-on-site']);
});

test('goto rejects clearly when nothing listens', async ({ enginePage: page }) => {
  const closedPort = await getPort({ host: '127.0.0.1' });
  await expect(page.goto(`http://127.0.0.1:${closedPort}/`)).rejects.toThrow(
    `webkit: goto http://127.0.0.1:${closedPort}/ failed: Could not connect to 127.0.0.1: Connection refused`,
  );
  await page.goto('about:blank');
  expect(await page.evaluate('location.href')).toBe('about:blank');
});

test('a blocked credentialed XHR reports the three WebKit CORS messages', async ({ enginePage: page, servers }) => {
  await page.goto(`${servers.site}/page?log=before`);
  const status = await page.evaluate(`new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', '${servers.api}/no-cors');
    xhr.withCredentials = true;
    xhr.onloadend = () => resolve(xhr.status);
    xhr.send();
  })`);
  expect(status).toBe(0);
  const expected = [
    { kind: 'console', level: 'error', text: `Origin ${servers.site} is not allowed by Access-Control-Allow-Origin. Status code: 200` },
    { kind: 'console', level: 'error', text: `XMLHttpRequest cannot load ${servers.api}/no-cors due to access control checks.` },
    {
      kind: 'request-failed',
      level: 'error',
      text: `Failed to load resource: Origin ${servers.site} is not allowed by Access-Control-Allow-Origin. Status code: 200`,
    },
  ];
  await expect.poll(() => page.messages()).toEqual(expect.arrayContaining(expected));
  expect(page.messages()[0]).toEqual({ kind: 'console', level: 'log', text: 'before' });
  expect(page.messages()).toHaveLength(4);
});

test('messages accumulate across navigations, repeats unfolded', async ({ enginePage: page, servers }) => {
  await page.goto(`${servers.site}/page?log=first`);
  await page.goto(`${servers.site}/repeat`);
  await page.goto(`${servers.apiLocalhost}/page?log=third`);
  await expect
    .poll(() => page.messages())
    .toEqual([
      { kind: 'console', level: 'log', text: 'first' },
      { kind: 'console', level: 'log', text: 'same' },
      { kind: 'console', level: 'log', text: 'same' },
      { kind: 'console', level: 'log', text: 'same' },
      { kind: 'console', level: 'warning', text: 'careful' },
      { kind: 'console', level: 'error', text: 'broken' },
      { kind: 'console', level: 'log', text: 'third' },
    ]);
});

test('newPage() starts without cookies (HttpOnly too) or storage of earlier pages, on any origin', async ({ engine, servers }) => {
  const origins = [servers.site, servers.apiLocalhost];
  const first = await engine.newPage();
  for (const origin of origins) {
    await first.goto(`${origin}/setcookie`);
    await first.evaluate(`new Promise((resolve) => {
      localStorage.setItem('k', 'v');
      sessionStorage.setItem('k', 'v');
      const open = indexedDB.open('db', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('s');
      open.onsuccess = () => { open.result.close(); resolve(true); };
    })`);
    // The cookies really are there, the HttpOnly one included (the server echoes what it got).
    expect(await first.evaluate('fetch("/cookie-echo").then((r) => r.json())')).toEqual({ cookie: 'sid=secret' });
    expect(await first.evaluate('fetch("/deep/cookie-echo").then((r) => r.json())')).toEqual({ cookie: 'deep=1; sid=secret' });
    expect(await first.evaluate('document.cookie')).toBe('');
  }
  await first.close();

  const second = await engine.newPage();
  expect(second.messages()).toEqual([]);
  expect(await second.evaluate('location.href')).toBe('about:blank');
  for (const origin of origins) {
    await second.goto(`${origin}/page`);
    expect(await second.evaluate('fetch("/cookie-echo").then((r) => r.json())')).toEqual({ cookie: null });
    expect(await second.evaluate('fetch("/deep/cookie-echo").then((r) => r.json())')).toEqual({ cookie: null });
    expect(await second.evaluate('[localStorage.length, sessionStorage.length]')).toEqual([0, 0]);
    expect(await second.evaluate('indexedDB.databases().then((dbs) => dbs.map((db) => db.name))')).toEqual([]);
  }
  expect(second.messages().map((m) => m.text)).toEqual(['site page', 'site page']);
  await second.close();
});

test('newPage() also forgets cached CORS preflights', async ({ engine, servers }) => {
  const id = randomUUID();
  const put = `fetch('${servers.api}/preflight/${id}', { method: 'PUT', headers: { 'x-test': '1' } }).then((r) => r.status)`;
  const first = await engine.newPage();
  await first.goto(`${servers.site}/page`);
  expect(await first.evaluate(put)).toBe(200);
  expect(await first.evaluate(put)).toBe(200);
  // The second PUT went without a preflight: WebKit cached it (Access-Control-Max-Age: 600).
  expect(servers.preflights(id)).toBe(1);
  const second = await engine.newPage();
  await second.goto(`${servers.site}/page`);
  expect(await second.evaluate(put)).toBe(200);
  expect(servers.preflights(id)).toBe(2);
  await second.close();
});

test('screenshot returns PNGs of the viewport and of an element', async ({ enginePage: page, servers }) => {
  await page.goto(`${servers.site}/page`);
  const viewport = await page.screenshot();
  expect(isPng(viewport)).toBe(true);
  const box = await page.screenshot('#box');
  expect(isPng(box)).toBe(true);
  // IHDR: width and height at bytes 16..23; the box is 100x50 CSS px at device scale 1.
  expect([box?.readUInt32BE(16), box?.readUInt32BE(20)]).toEqual([100, 50]);
  expect(await page.screenshot('#no-such-element')).toBeUndefined();
});

test('waitForFunction survives a cross-site navigation and names the expression on timeout', async ({ enginePage: page, servers }) => {
  await page.goto(`${servers.site}/page`);
  const waiting = page.waitForFunction('window.readyFlag === true', 10_000);
  await page.goto(`${servers.apiLocalhost}/flag-later`);
  await waiting;
  await page.waitForFunction('new Promise((resolve) => setTimeout(() => resolve(1), 30))');
  await expect(page.waitForFunction('window.neverSet', 200)).rejects.toThrow(
    'webkit: waitForFunction timed out after 200 ms: window.neverSet',
  );
});

test('launch + close leaves no Xvfb, MiniBrowser or WebKit process', async ({ servers }) => {
  const before = new Set(childrenOf(process.pid));
  const engine = await launchWebKitGtk();
  const page = await engine.newPage();
  await page.goto(`${servers.site}/page`);
  // This worker's other engine (fixture) is older: only look at what this launch started.
  const started = childrenOf(process.pid).filter((pid) => !before.has(pid));
  const tree = started.flatMap((pid) => [pid, ...childrenOf(pid)]);
  const commands = tree.map(commandOf).join('\n');
  for (const name of ['Xvfb', 'MiniBrowser', 'WebKitWebProcess', 'WebKitNetworkProcess']) expect(commands).toContain(name);
  await engine.close();
  expect(livingBrowserProcesses(tree)).toEqual([]);
});

for (const signal of ['SIGKILL', 'SIGINT'] as const) {
  test(`killing the Node process with ${signal} takes every browser process with it`, async ({ servers }) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'launch-and-wait.ts'), `${servers.site}/page`], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const { pids } = JSON.parse(await firstLine(child)) as { pids: number[] };
    const commands = pids.map(commandOf).join('\n');
    for (const name of ['Xvfb', 'MiniBrowser', 'WebKitWebProcess']) expect(commands).toContain(name);
    child.kill(signal);
    await once(child, 'exit');
    await expect.poll(() => livingBrowserProcesses(pids), { timeout: 10_000 }).toEqual([]);
  });
}

test('two engines launched at the same time both work, each with its own browser', async ({ servers }) => {
  const engines = await Promise.all([launchWebKitGtk(), launchWebKitGtk()]);
  try {
    const pages = await Promise.all(engines.map((engine) => engine.newPage()));
    await Promise.all(pages.map((page, i) => page.goto(`${servers.site}/page?log=engine-${i}`)));
    await pages[0]?.evaluate('localStorage.setItem("owner", "engine-0")');
    expect(await Promise.all(pages.map((page) => page.evaluate('localStorage.getItem("owner")')))).toEqual(['engine-0', null]);
    expect(pages.map((page) => page.messages().map((m) => m.text))).toEqual([['engine-0'], ['engine-1']]);
  } finally {
    await Promise.all(engines.map((engine) => engine.close()));
  }
});

test('a crashed MiniBrowser is replaced by the next newPage()', async ({ servers }) => {
  const before = new Set(childrenOf(process.pid));
  const engine = await launchWebKitGtk();
  try {
    const page = await engine.newPage();
    await page.goto(`${servers.site}/page`);
    const miniBrowser = childrenOf(process.pid).find((pid) => !before.has(pid) && commandOf(pid).includes('MiniBrowser'));
    expect(miniBrowser).toBeDefined();
    process.kill(miniBrowser ?? 0, 'SIGKILL');
    await expect(page.evaluate('1')).rejects.toThrow(/webkit: /);
    const next = await engine.newPage();
    await next.goto(`${servers.site}/page`);
    expect(await next.evaluate('location.origin')).toBe(servers.site);
  } finally {
    await engine.close();
  }
});

test('a missing binary is an EngineUnavailableError of one line', async () => {
  const noBrowser = await launchWebKitGtk({ miniBrowserPath: '/nonexistent/MiniBrowser' }).catch((e: unknown) => e);
  expect(noBrowser).toBeInstanceOf(EngineUnavailableError);
  expect((noBrowser as Error).message).toBe(
    'webkit: WebKitGTK MiniBrowser not found at /nonexistent/MiniBrowser; run `npm run setup` (installs webkit2gtk-driver and xvfb)',
  );
  const noXvfb = await launchWebKitGtk({ xvfbPath: '/nonexistent/Xvfb' }).catch((e: unknown) => e);
  expect(noXvfb).toBeInstanceOf(EngineUnavailableError);
  expect((noXvfb as Error).message).not.toContain('\n');
});

// ---- servers ----

function addCommonRoutes(app: Express): void {
  app.get('/page', (req, res) => {
    const log = typeof req.query.log === 'string' ? req.query.log : 'site page';
    res.type('html').send(
      `<!doctype html><title>site</title><div id="box" style="width:100px;height:50px;background:#c00"></div>` +
        `<script>console.log(${scriptString(log)})</script>`,
    );
  });
  app.get('/repeat', (_req, res) => {
    res
      .type('html')
      .send(`<!doctype html><script>for (let i = 0; i < 3; i++) console.log('same'); console.warn('careful'); console.error('broken');</script>`);
  });
  app.get('/flag-later', (_req, res) => {
    res.type('html').send(`<!doctype html><script>setTimeout(() => { window.readyFlag = true; }, 100);</script>`);
  });
  app.get('/setcookie', (_req, res) => {
    res.cookie('sid', 'secret', { httpOnly: true });
    res.cookie('deep', '1', { path: '/deep' });
    res.type('html').send('<!doctype html><p>cookies set</p>');
  });
  app.get(['/cookie-echo', '/deep/cookie-echo'], (req, res) => {
    res.json({ cookie: req.headers.cookie ?? null });
  });
}

function scriptString(text: string): string {
  return JSON.stringify(text).replace(/</g, '\\u003c');
}

async function listen(app: Express): Promise<Server> {
  const server = createServer(app);
  server.listen(await getPort({ host: '127.0.0.1' }), '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function port(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  return address.port;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

// ---- processes, checked with ps/pgrep rather than the engine's own /proc helpers ----

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' });
  } catch {
    return ''; // pgrep/ps exit 1 when nothing matches
  }
}

function childrenOf(pid: number): number[] {
  return run('pgrep', ['-P', String(pid)]).split('\n').filter(Boolean).map(Number);
}

function commandOf(pid: number): string {
  return run('ps', ['-o', 'args=', '-p', String(pid)]).trim();
}

/** Those of `pids` that are still an Xvfb/MiniBrowser/WebKit process and not a zombie. */
function livingBrowserProcesses(pids: number[]): string[] {
  const candidates = new Set(run('pgrep', ['-f', BROWSER_PROCESS.source]).split('\n').filter(Boolean).map(Number));
  return pids
    .filter((pid) => candidates.has(pid))
    .map((pid) => run('ps', ['-o', 'pid=,stat=,args=', '-p', String(pid)]).trim())
    .filter((line) => line !== '' && !/^\d+\s+Z/.test(line));
}

/** The first line the child prints on stdout; rejects if it exits first. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) resolve(text.slice(0, end));
    });
    child.once('exit', (code, signal) => reject(new Error(`helper exited (${code ?? signal}) before printing its pids`)));
  });
}

function isPng(buffer: Buffer | undefined): boolean {
  return buffer !== undefined && buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}
