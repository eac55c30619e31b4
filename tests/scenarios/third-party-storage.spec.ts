/**
 * What a frame of another site can read of its site's storage, in the cross-site topology: the
 * world the SDK's hidden frames live in. Every engine keeps a third party's storage apart from
 * what that site stored as a first party (partitioned, or denied outright). Chromium does so
 * only when it runs as shipped: Playwright's launch turns third-party storage partitioning off
 * (../framework/engines/chromium-features.ts), and then the frame reads the first-party value.
 */
import { expect, test } from '../fixtures/fixtures.js';

interface StorageReport {
  outcome: 'read' | 'blocked';
  value: string | null;
}

/** How long the framed probe may take to report (it answers in milliseconds). */
const REPORT_TIMEOUT_MS = 10_000;

/** Frames `frameUrl` into the current page and resolves with the storage probe's report. */
const framedReport = (frameUrl: string): string => `new Promise((resolve, reject) => {
  addEventListener('message', (event) => {
    if (event.data && event.data.storageProbe) resolve({ outcome: event.data.outcome, value: event.data.value });
  });
  setTimeout(() => reject(new Error('the storage probe framed from ' + ${JSON.stringify(frameUrl)} + ' sent no report within ${REPORT_TIMEOUT_MS} ms')), ${REPORT_TIMEOUT_MS});
  const frame = document.createElement('iframe');
  frame.src = ${JSON.stringify(frameUrl)};
  document.body.append(frame);
})`;

test.use({ topology: 'cross-site' });

test('a frame of another site does not read what that site stored as a first party', async ({ enginePage, topologyServers: servers }) => {
  const probe = `${servers.untrustedSiteUrl}/storage-probe.html`;
  await enginePage.goto(`${probe}?set=first-party`);
  expect(await enginePage.evaluate('localStorage.getItem("storage-probe")')).toBe('first-party');

  await enginePage.goto(`${servers.trustedSiteUrl}/`);
  const framed = await enginePage.evaluate<StorageReport>(framedReport(probe));
  // Partitioned storage starts empty; an engine that denies third parties storage throws on access.
  expect(framed).toEqual(framed.outcome === 'blocked' ? { outcome: 'blocked', value: expect.any(String) } : { outcome: 'read', value: null });
});
