/**
 * What only the WebKitGTK inspector driver has to prove (the EnginePage contract itself is
 * engine-page.spec.ts, run by every engine project): its info, WebContent process swaps,
 * WebKit's exact texts, parallel launches, and its own start-up errors. Run with:
 *   npx playwright test --project=webkitgtk-driver
 */
import { test as base, expect } from '@playwright/test';
import getPort from 'get-port';
import { EngineUnavailableError, type Engine, type EnginePage } from '../framework/engines/engine.js';
import { launchWebKitGtk } from '../framework/engines/webkitgtk/index.js';
import { startContractServers, type ContractServers } from './contract-servers.js';

const test = base.extend<{ enginePage: EnginePage }, { servers: ContractServers; engine: Engine }>({
  servers: [
    async ({}, use) => {
      const servers = await startContractServers();
      await use(servers);
      await servers.close();
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

test('goto names WebKit\'s own reason when nothing listens', async ({ enginePage: page, servers }) => {
  const closedPort = await getPort({ host: '127.0.0.1' });
  await expect(page.goto(`http://127.0.0.1:${closedPort}/`)).rejects.toThrow(
    `webkit: goto http://127.0.0.1:${closedPort}/ failed: Could not connect to 127.0.0.1: Connection refused`,
  );
  // Not about:blank: WebKit's error page is an about:blank document too, so that goto could end on it.
  await page.goto(`${servers.site}/page`);
  expect(await page.evaluate('location.href')).toBe(`${servers.site}/page`);
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
