/**
 * The CORS conformance matrix: one test per entry of tests/scenarios/matrix-cases.ts, in whichever
 * engine runs it. Each test signs in (so a cookie exists to be sent or withheld), opens the
 * probe page on the trusted website, runs the case's requests against a CORS lab URL, and
 * checks each step with tests/framework/cors/matrix-checks.ts: what the page read, what it
 * shows, the engine's reason and what each server hop received.
 */
import type { TestInfo } from '@playwright/test';
import type { LabSite } from '../../servers/okta-api/cors-lab/behaviour.js';
import { labPath } from '../../servers/okta-api/cors-lab/behaviour.js';
import { labExchanges } from '../../servers/okta-api/cors-lab/router.js';
import type { RunningServers } from '../../servers/start.js';
import { exceptionsFor, expectationFor, MATRIX_CASES, type MatrixCase, type MatrixStep, type StepExpectation } from './matrix-cases.js';
import type { Exchange } from '../../servers/okta-api/exchange-log.js';
import { judgeCacheWindow, sincePreflightMs } from '../framework/cors/cache-window.js';
import { corsBlocks } from '../framework/cors/reason-catalog.js';
import { checkCacheHitAmongMayMiss, outcomeOf, STEP_CHECKS, type StepRun } from '../framework/cors/matrix-checks.js';
import type { EngineName, EnginePage } from '../framework/engines/engine.js';
import { clientAnnotation } from '../framework/reporting/annotations.js';
import { MESSAGE_POLL_INTERVALS_MS, recordObservedCase, type ObservedCase, type ObservedStep } from '../framework/reporting/cors-record.js';
import { CorsProbePage, type ProbeRequest } from '../pages/cors-probe-page.js';
import { expect, test, type TestFixtures } from '../fixtures/fixtures.js';

test.describe.configure({ mode: 'parallel' });

/** How long a blocked request's message may take to reach us after the page saw the failure. */
const MESSAGE_TIMEOUT_MS = 5_000;

/** One case as it runs in one engine. */
interface CaseRun {
  matrixCase: MatrixCase;
  engineName: EngineName;
  enginePage: EnginePage;
  servers: RunningServers;
  probe: CorsProbePage;
  /** The lab segment shared by every hop's URL: a message naming any of them belongs to the case. */
  labMarker: string;
  siteUrl: Record<LabSite, string>;
  behaviourPath: string;
  testInfo: TestInfo;
}

function requestOf(run: CaseRun, step: MatrixStep): ProbeRequest {
  const { request } = step;
  return {
    client: run.matrixCase.client,
    url: `${run.siteUrl[request.target ?? 'api']}${run.behaviourPath}`.replace(/^http:/, request.scheme === undefined ? 'http:' : `${request.scheme}:`),
    method: request.method,
    headers: request.headers ?? {},
    credentials: request.credentials,
    readHeaders: request.readHeaders ?? [],
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(run.matrixCase.context === undefined ? {} : { context: run.matrixCase.context }),
    ...(request.mode === undefined ? {} : { mode: request.mode }),
    ...(request.user === undefined ? {} : { user: request.user, password: request.password ?? '' }),
    ...(request.uploadListener === true ? { uploadListener: true } : {}),
    ...(request.cache === undefined ? {} : { cache: request.cache }),
  };
}

async function openCase(run: Omit<CaseRun, 'probe'>, signInThroughJar: TestFixtures['signInThroughJar']): Promise<CaseRun> {
  // Signed in for every case, so "no cookie went" means the browser withheld one it had. Signing
  // in is not what a case tests (the seed and SDK scenarios are): the org's cookie goes into the
  // engine's jar as the API set it, then the probe opens.
  const probe = new CorsProbePage(run.enginePage);
  const probeUrl = probe.url(run.servers.trustedSiteUrl);
  await signInThroughJar(probeUrl);
  await run.enginePage.goto(probeUrl);
  await probe.ready();
  return { ...run, probe };
}

/** The step's expectation once its time is known: a cache hit it counts on may have expired on a slow machine. */
function expectationAfter(run: CaseRun, step: MatrixStep, expected: StepExpectation, exchanges: Exchange[], before: number): StepExpectation {
  if (step.cacheWindowMs === undefined) return expected;
  const verdict = judgeCacheWindow(expected, step.cacheWindowMs, sincePreflightMs(exchanges.slice(0, before), exchanges.slice(before)));
  if (verdict.kind === 'within') return expected;
  run.testInfo.annotations.push({ type: 'cors-cache-window', description: verdict.note });
  if (verdict.kind === 'undecidable') throw new Error(`${run.matrixCase.name}: cannot conclude: ${verdict.note}`);
  return verdict.expected;
}

/** Runs one step and gathers what the page, the engine and the servers saw. */
async function runStep(run: CaseRun, index: number, step: MatrixStep): Promise<StepRun> {
  const { matrixCase, enginePage, servers, engineName } = run;
  const request = requestOf(run, step);
  const messagesBefore = enginePage.messages().length;
  const exchangesBefore = labExchanges(servers.api.exchangeLog, matrixCase.name).length;
  const { result, shown } = await run.probe.run(request);
  const exchanges = labExchanges(servers.api.exchangeLog, matrixCase.name);
  const expected = expectationAfter(run, step, expectationFor(matrixCase, index, engineName), exchanges, exchangesBefore);
  const stepMessages = () => enginePage.messages().slice(messagesBefore);
  const forCase = () => corsBlocks(engineName, stepMessages()).filter((b) => b.url?.includes(run.labMarker) === true);
  if (outcomeOf(result) === 'blocked' && expected.reason !== 'no-message') {
    // The engine's messages may trail the page's failure, and Firefox's generic follow-up may come
    // before the reason it follows: wait for the expected reason itself, not a fixed time.
    await expect
      .poll(() => forCase().some((b) => b.reason === expected.reason), { timeout: MESSAGE_TIMEOUT_MS, intervals: MESSAGE_POLL_INTERVALS_MS })
      .toBe(true)
      .catch(() => undefined);
  }
  const opaqueOrigin = matrixCase.context === 'sandboxed' || matrixCase.context === 'data-iframe';
  return {
    where: `step ${index} (${request.method} ${request.client})`,
    caseName: matrixCase.name,
    request, expected, result, shown,
    blocks: corsBlocks(engineName, stepMessages()),
    forCase: forCase(),
    messages: stepMessages(),
    exchanges: labExchanges(servers.api.exchangeLog, matrixCase.name).slice(exchangesBefore),
    origins: { page: servers.trustedSiteUrl, null: 'null' },
    defaultOrigin: opaqueOrigin ? 'null' : 'page',
  };
}

/** The report's grid shows what was observed, whatever the assertions decide. */
function recordSummary(testInfo: TestInfo, matrixCase: MatrixCase, step: StepRun): void {
  const readable = step.result.readable;
  recordObservedCase(testInfo, {
    area: matrixCase.area,
    case: matrixCase.name,
    outcome: readable ? 'readable' : 'blocked',
    reason: readable ? null : (step.forCase[0]?.reason ?? null),
  }, step.forCase);
}

function observedStep(step: StepRun): ObservedStep {
  const { request, expected, result, shown, blocks, exchanges, messages } = step;
  return { request, expected, result, shown, blocks, exchanges, messages };
}

for (const matrixCase of MATRIX_CASES) {
  // The report's client facet knows the page's clients; a synchronous XHR is an XHR.
  const client = clientAnnotation(matrixCase.client === 'sync-xhr' ? 'xhr' : matrixCase.client);
  test(`${matrixCase.area}: ${matrixCase.name}`, { annotation: client }, async ({ enginePage, servers, signInThroughJar, engineName }, testInfo) => {
    for (const exception of exceptionsFor(matrixCase, engineName)) {
      testInfo.annotations.push({ type: 'cors-exception', description: `step ${exception.step ?? 0}: ${exception.why}` });
    }
    const behaviourPath = labPath({ case: matrixCase.name, ...matrixCase.behaviour({ page: servers.trustedSiteUrl, otherPort: servers.untrustedSiteUrl }) });
    const run = await openCase({
      matrixCase, engineName, enginePage, servers, behaviourPath, testInfo,
      labMarker: behaviourPath.replace(/[^/]*$/, ''),
      siteUrl: { api: servers.api.url, page: servers.trustedSiteUrl, other: servers.untrustedSiteUrl },
    }, signInThroughJar);
    const observed: ObservedStep[] = [];
    try {
      for (const [index, step] of matrixCase.steps.entries()) {
        if (step.afterMs !== undefined) await new Promise((resolve) => setTimeout(resolve, step.afterMs));
        const stepRun = await runStep(run, index, step);
        observed.push(observedStep(stepRun));
        if (index === matrixCase.steps.length - 1) recordSummary(testInfo, matrixCase, stepRun);
        for (const check of STEP_CHECKS) check(stepRun);
      }
      checkCacheHitAmongMayMiss(observed);
    } finally {
      await testInfo.attach('cors-observed.json', {
        body: JSON.stringify({ engine: engineName, area: matrixCase.area, case: matrixCase.name, url: `${servers.api.url}${behaviourPath}`, steps: observed } satisfies ObservedCase, null, 2),
        contentType: 'application/json',
      });
    }
  });
}
