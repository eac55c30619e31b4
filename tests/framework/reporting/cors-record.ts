/**
 * The reporting hook: every CORS scenario records what it observed, so a reporter can build
 * a scenario × engine grid from the annotations alone.
 *   type 'cors-case':  JSON { area, case, outcome: 'readable'|'blocked', reason }
 *                      (reason: the code the engine's message maps to; null when readable)
 *   type 'cors-block': "<reason>: <the engine's raw message>", one per block seen, when blocked
 */
import { expect, type TestInfo } from '@playwright/test';
import type { Exchange } from '../../../servers/okta-api/exchange-log.js';
import type { EngineMessage } from '../engines/engine.js';
import type { ProbeRequest, ProbeResult, ProbeShown } from '../../pages/cors-probe-page.js';
import { blockedMessage, type TestResult } from '../../pages/cors-test-page.js';
import type { StepExpectation } from '../../scenarios/matrix-cases.js';
import { corsBlocks, type CorsBlock, type ReasonCode } from '../cors/reason-catalog.js';
import type { EngineName } from '../engines/engine.js';

export interface ObservedCorsCase {
  area: string;
  case: string;
  outcome: 'readable' | 'blocked';
  reason: ReasonCode | null;
}

export function recordCorsCase(testInfo: TestInfo, observed: ObservedCorsCase, blocks: readonly CorsBlock[] = []): void {
  testInfo.annotations.push({ type: 'cors-case', description: JSON.stringify(observed) });
  for (const block of blocks) {
    testInfo.annotations.push({ type: 'cors-block', description: `${block.reason}: ${block.raw}` });
  }
}

/** How long an engine's block message may trail the page's own result. */
const MESSAGE_TIMEOUT_MS = 5_000;

/**
 * For the CORS test page's scenarios: records the test's `cors-case` and returns the engine's
 * blocks of the call to `url`. When the page showed the blocked message, waits for the engine's
 * message first (it may trail the page); the test's assertions judge whether it came.
 */
export async function recordTestPageCase(
  testInfo: TestInfo,
  observed: { area: string; case: string; engine: EngineName; messages: () => readonly EngineMessage[]; url: string; result: TestResult },
): Promise<CorsBlock[]> {
  const blocksOfCall = () => corsBlocks(observed.engine, observed.messages()).filter((b) => b.url === observed.url);
  const blocked = observed.result.outcome === 'error' && observed.result.title === blockedMessage('').title;
  if (blocked) {
    await expect.poll(() => blocksOfCall().length, { timeout: MESSAGE_TIMEOUT_MS }).toBeGreaterThan(0).catch(() => undefined);
  }
  const blocks = blocksOfCall();
  recordCorsCase(
    testInfo,
    { area: observed.area, case: observed.case, outcome: blocked ? 'blocked' : 'readable', reason: blocked ? (blocks[0]?.reason ?? null) : null },
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
