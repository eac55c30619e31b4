/**
 * The benchmark's floors (run by scripts/benchmark.ts with floor.config.ts, never by the suite):
 * BENCH_TESTS tests that each do the least a suite test does, one navigation and one
 * credentialed cross-origin XHR. BENCH_FLOOR=warm keeps one page per worker; fresh takes a
 * fresh isolated page (engine.newPage()) per test, as the suite does.
 */
import type { EnginePage } from '../../tests/framework/engines/engine.js';
import { engineTest } from '../../tests/fixtures/fixtures.js';
import { startContractServers, type ContractServers } from '../../tests/engine-contract/contract-servers.js';

const count = Number(process.env.BENCH_TESTS ?? 82);

const base = engineTest.extend<object, { floorServers: ContractServers }>({
  floorServers: [
    async ({}, use) => {
      const servers = await startContractServers();
      await use(servers);
      await servers.close();
    },
    { scope: 'worker' },
  ],
});

const warm = base.extend<{ floorPage: EnginePage }, { warmPage: EnginePage }>({
  warmPage: [
    async ({ engine }, use) => {
      const page = await engine.newPage();
      await use(page);
      await page.close();
    },
    { scope: 'worker' },
  ],
  floorPage: async ({ warmPage }, use) => {
    await use(warmPage);
  },
});

const fresh = base.extend<{ floorPage: EnginePage }>({
  floorPage: async ({ engine }, use) => {
    const page = await engine.newPage();
    await use(page);
    await page.close();
  },
});

const test = process.env.BENCH_FLOOR === 'fresh' ? fresh : warm;

test.describe.configure({ mode: 'parallel' });

for (let i = 0; i < count; i++) {
  test(`floor ${i}`, async ({ floorPage, floorServers }) => {
    await floorPage.goto(`${floorServers.site}/page?log=${i}`);
    const status = await floorPage.evaluate(`new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', ${JSON.stringify(`${floorServers.api}/cors-ok`)});
      xhr.withCredentials = true;
      xhr.onloadend = () => resolve(xhr.status);
      xhr.send();
    })`);
    if (status !== 200) throw new Error(`floor XHR answered ${String(status)}`);
  });
}
