/**
 * What every browser test leaves in the reports when it ends (called from the testRecord
 * fixture): the engine's messages, what the API servers saw (JSON, and Markdown for people),
 * a screenshot of the result panel when it failed, and its Allure labels and parameters.
 */
import type { TestInfo } from '@playwright/test';
import type { RunningServers } from '../../../servers/start.js';
import type { EngineInfo, EnginePage } from '../engines/engine.js';
import { allureMetadata, recordAllureMetadata } from './allure-labels.js';
import { exchangeRecords, renderExchanges, type ApiLog } from './exchange-report.js';
import { screenshotResultPanel } from './result-panel.js';

export interface ServerSet {
  /** How the report names this set, e.g. "API" or "API whose errors carry no CORS headers". */
  label: string;
  servers: RunningServers;
}

export async function attachRecord(
  testInfo: TestInfo,
  { engine, page, sets }: { engine: EngineInfo; page: EnginePage; sets: readonly ServerSet[] },
): Promise<void> {
  const logs: ApiLog[] = sets.map(({ label, servers }) => ({ label, api: servers.api.url, entries: servers.api.exchangeLog.entries() }));
  const records = exchangeRecords(logs);

  await testInfo.attach('engine-messages.json', { body: JSON.stringify(page.messages(), null, 2), contentType: 'application/json' });
  await testInfo.attach('api-exchanges.json', { body: JSON.stringify(records, null, 2), contentType: 'application/json' });
  await testInfo.attach('api-exchanges.md', { body: renderExchanges(logs), contentType: 'text/markdown' });

  // Only where a reviewer needs it: measured ~0.3 s a test in Chromium, a fifth of a passing test.
  const shot = testInfo.status === testInfo.expectedStatus ? undefined : await screenshotResultPanel(page);
  if (shot !== undefined) {
    await testInfo.attach(shot.target === 'viewport' ? 'viewport.png' : 'result-panel.png', { body: shot.png, contentType: 'image/png' });
  }

  const knownOrigins: Record<string, string> = {};
  for (const { label, servers } of sets) {
    const where = label !== sets[0]?.label ? ` of the ${label}` : '';
    knownOrigins[servers.trustedSiteUrl] ??= `trusted site${where}`;
    knownOrigins[servers.untrustedSiteUrl] ??= `untrusted site${where}`;
  }
  await recordAllureMetadata(
    allureMetadata({
      file: testInfo.file,
      titlePath: testInfo.titlePath.slice(1),
      annotations: testInfo.annotations,
      engine,
      // Cross-origin calls only: the sign-in page posts to the API from the API's own origin.
      origins: records.filter((r) => r.origin !== r.api).map((r) => r.origin),
      knownOrigins,
    }),
  );
}
