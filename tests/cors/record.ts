/**
 * The reporting hook: every CORS scenario records what it observed, so a reporter can build
 * a scenario × engine grid from the annotations alone.
 *   type 'cors-case':  JSON { area, case, outcome: 'readable'|'blocked', reason }
 *                      (reason: the code the engine's message maps to; null when readable)
 *   type 'cors-block': "<reason>: <the engine's raw message>", one per block seen, when blocked
 */
import type { TestInfo } from '@playwright/test';
import type { Exchange } from '../../servers/okta-api/exchange-log.js';
import type { EngineMessage } from '../engines/engine.js';
import type { ProbeRequest, ProbeResult, ProbeShown } from '../support/cors-probe-page.js';
import type { StepExpectation } from './matrix-cases.js';
import type { CorsBlock, ReasonCode } from './reason-catalog.js';

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
