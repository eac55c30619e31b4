/**
 * What a CORS scenario observed, for the reports: its `cors-case` (annotations.ts) with the
 * engine's block messages beside it, and the matrix's per-step record (`cors-observed.json`).
 */
import { expect, type TestInfo } from '@playwright/test';
import type { Exchange } from '../../../servers/okta-api/exchange-log.js';
import type { EngineMessage } from '../engines/engine.js';
import type { ProbeRequest, ProbeResult, ProbeShown } from '../../pages/cors-probe-page.js';
import { blockedMessage, type TestResult } from '../../pages/cors-test-page.js';
import type { StepExpectation } from '../../scenarios/matrix-cases.js';
import { corsBlocks, namesTheFailure, type CorsBlock } from '../cors/reason-catalog.js';
import { recordCorsBlockNote, recordCorsCase, type CookieReason, type CookieWent, type CorsCase } from './annotations.js';
import type { EngineName } from '../engines/engine.js';

/** Records the case and, when blocked, the engine's message for each block beside it. */
export function recordObservedCase(testInfo: TestInfo, observed: CorsCase, blocks: readonly CorsBlock[] = []): void {
  recordCorsCase(testInfo, observed);
  for (const block of blocks) recordCorsBlockNote(testInfo, block);
}

/** How long an engine's block message may trail the page's own result. */
const BLOCK_MESSAGE_TIMEOUT_MS = 5_000;

/**
 * How often to look again for a trailing message. They are collected in this process, so a look
 * costs nothing, and they trail the page by milliseconds (Firefox's by tens): Playwright's
 * default first waits 100 ms.
 */
export const MESSAGE_POLL_INTERVALS_MS = [10, 25, 50];

/**
 * The engine's blocks of the call to `url`, once one that names the failure came (not only
 * Firefox's generic follow-up, which may come first) or the time is up: an engine may report a
 * block a moment after the page saw the failure. Never throws; the caller's assertions judge what came.
 */
export async function blocksOfCall(engine: EngineName, messages: () => readonly EngineMessage[], url: string): Promise<CorsBlock[]> {
  const blocks = () => corsBlocks(engine, messages()).filter((b) => b.url === url);
  await expect
    .poll(() => blocks().some(namesTheFailure), { timeout: BLOCK_MESSAGE_TIMEOUT_MS, intervals: MESSAGE_POLL_INTERVALS_MS })
    .toBe(true)
    .catch(() => undefined);
  return blocks();
}

/**
 * For the CORS test page's scenarios: records the test's `cors-case` and returns the engine's
 * blocks of the call to `url`. When the page showed the blocked message, waits for the engine's
 * message first (it may trail the page); the test's assertions judge whether it came.
 */
export async function recordTestPageCase(
  testInfo: TestInfo,
  observed: {
    area: string;
    case: string;
    engine: EngineName;
    messages: () => readonly EngineMessage[];
    url: string;
    result: TestResult;
    /** Whether the org's session cookie went, and why not when the engine withheld it (topology scenarios). */
    cookie?: { went: CookieWent; reason?: CookieReason };
  },
): Promise<CorsBlock[]> {
  const blocked = observed.result.outcome === 'error' && observed.result.title === blockedMessage('').title;
  const blocks = blocked
    ? await blocksOfCall(observed.engine, observed.messages, observed.url)
    : corsBlocks(observed.engine, observed.messages()).filter((b) => b.url === observed.url);
  recordObservedCase(
    testInfo,
    {
      area: observed.area,
      case: observed.case,
      outcome: blocked ? 'blocked' : 'readable',
      reason: blocked ? (blocks[0]?.reason ?? null) : (observed.cookie?.reason ?? null),
      ...(observed.cookie ? { cookie: observed.cookie.went } : {}),
    },
    blocked ? blocks : [],
  );
  return blocks;
}

/** One matrix step as observed: attached as `cors-observed.json`, read back by capture-messages.ts. */
export interface ObservedStep {
  request: ProbeRequest;
  expected: StepExpectation;
  result: ProbeResult;
  shown: ProbeShown;
  blocks: CorsBlock[];
  /** The engine's messages from this step only. */
  messages: EngineMessage[];
  /** What the API received for this step. */
  exchanges: Exchange[];
}

export interface ObservedCase {
  engine: string;
  area: string;
  case: string;
  url: string;
  steps: ObservedStep[];
}
