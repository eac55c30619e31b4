/**
 * The suite's fixtures. Per worker: one engine and one set of servers (started once, on free
 * ports). Per test: a fresh page in a fresh state, the CORS test page object over it, and
 * a record of what the engine said and what the API saw, attached to the test's report.
 */
import { test as base } from '@playwright/test';
import { startServers, type RunningServers } from '../../servers/start.js';
import type { Engine, EngineName, EnginePage } from '../engines/engine.js';
import { launchEngine } from '../engines/launch.js';
import { engineAnnotation } from '../reporting/annotations.js';
import { attachRecord, startRecord } from '../reporting/test-record.js';
import { CorsTestPage } from './cors-test-page.js';

export interface WorkerFixtures {
  /** Which engine this project runs: set per project in playwright.config.ts. */
  engineName: EngineName;
  engine: Engine;
  /** The API, trusting the website's trusted origin; its 403 carries CORS headers. */
  servers: RunningServers;
  /** A second set whose error responses carry no CORS headers (Okta's other behaviour). */
  serversErrorsWithoutCors: RunningServers;
}

export interface TestFixtures {
  enginePage: EnginePage;
  corsPage: CorsTestPage;
  /** The mock org's user, to sign in with. */
  account: { login: string; password: string };
  /** Records engine, messages, API exchanges, a screenshot and Allure labels on every test. */
  testRecord: void;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  engineName: ['chromium', { scope: 'worker', option: true }],

  engine: [
    async ({ engineName }, use) => {
      const engine = await launchEngine(engineName);
      await use(engine);
      await engine.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  servers: [
    async ({}, use) => {
      const servers = await startServers({ corsLab: true });
      await use(servers);
      await servers.close();
    },
    { scope: 'worker' },
  ],

  serversErrorsWithoutCors: [
    async ({}, use) => {
      const servers = await startServers({ errorResponseCors: 'without-cors', corsLab: true });
      await use(servers);
      await servers.close();
    },
    { scope: 'worker' },
  ],

  enginePage: async ({ engine }, use) => {
    const page = await engine.newPage();
    await use(page);
    await page.close();
  },

  corsPage: async ({ enginePage }, use) => {
    await use(new CorsTestPage(enginePage));
  },

  account: async ({ servers }, use) => {
    await use({ login: servers.api.account.user.profile.login, password: servers.api.account.password });
  },

  testRecord: [
    async ({ engine, servers, serversErrorsWithoutCors, enginePage }, use, testInfo) => {
      testInfo.annotations.push(engineAnnotation(engine.info));
      // Both sets: a test may use either, and its report must show the API it called.
      const sets = [
        { label: 'API', servers },
        { label: 'API whose errors carry no CORS headers', servers: serversErrorsWithoutCors },
      ];
      startRecord(sets);
      await use();
      await attachRecord(testInfo, { engine: engine.info, page: enginePage, sets });
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';
