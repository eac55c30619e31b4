/**
 * Turns a matrix run into the catalog's unit-test fixtures: the messages each engine really
 * printed, per case and step, saved as tests/framework/cors/captured-messages/<engine>.json.
 *
 *   PLAYWRIGHT_JSON_OUTPUT_NAME=/tmp/matrix.json npx playwright test tests/scenarios/cors-matrix.spec.ts \
 *     --project=chromium --project=firefox --project=webkit --reporter=json
 *   node --import tsx scripts/capture-messages.ts /tmp/matrix.json [/tmp/more.json …]
 *
 * Several reports may be given (say one per engine, or a re-run of a few cases with `-g`):
 * a case found in a later report replaces the same engine's case from an earlier one, and
 * the engine's existing file counts as the earliest report (so a `-g` run adds or replaces
 * its cases only; cases no longer in the table are dropped).
 * It reads the `cors-observed.json` attachment of every matrix test (cors-matrix.spec.ts) and
 * the `engine` annotation; engines absent from the report keep their existing file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineInfo, EngineMessage, EngineName } from '../tests/framework/engines/engine.js';
import { readEngine } from '../tests/framework/reporting/annotations.js';
import type { ObservedCase } from '../tests/framework/reporting/cors-record.js';
import { MATRIX_CASES } from '../tests/scenarios/matrix-cases.js';
import { outcomeOf } from '../tests/framework/cors/matrix-checks.js';

interface CapturedStep {
  method: string;
  client: string;
  /** The request's URL (its port and lab segment are those of the capture run). */
  url: string;
  /** What the page could read in that run: the unit test checks its expectation still agrees. */
  observedOutcome: 'readable' | 'blocked' | 'opaque';
  messages: EngineMessage[];
}

export interface CapturedEngine {
  engine: EngineName;
  /** The engine annotation of the run: name, version, which build. */
  capturedWith: string;
  capturedAt: string;
  cases: { area: string; case: string; steps: CapturedStep[] }[];
}

interface JsonAttachment { name: string; contentType: string; body?: string; path?: string }
interface JsonResult { status: string; attachments: JsonAttachment[] }
interface JsonTest { projectName: string; annotations: { type: string; description?: string }[]; results: JsonResult[] }
interface JsonSuite { suites?: JsonSuite[]; specs?: { tests: JsonTest[] }[] }

function engineLine(info: EngineInfo | undefined): string | undefined {
  return info && `${info.name} ${info.version} (${info.kind}): ${info.description}`;
}

function* tests(suite: JsonSuite): Generator<JsonTest> {
  for (const spec of suite.specs ?? []) yield* spec.tests;
  for (const child of suite.suites ?? []) yield* tests(child);
}

function attachmentText(attachment: JsonAttachment): string {
  if (attachment.body !== undefined) return Buffer.from(attachment.body, 'base64').toString('utf8');
  if (attachment.path !== undefined) return readFileSync(attachment.path, 'utf8');
  throw new Error(`attachment ${attachment.name} has neither body nor path`);
}

const reportPaths = process.argv.slice(2);
if (reportPaths.length === 0) {
  console.error('usage: node --import tsx scripts/capture-messages.ts <playwright-json-report> [more reports…]');
  process.exit(2);
}
const dir = fileURLToPath(new URL('../tests/framework/cors/captured-messages', import.meta.url));

/** The engine's file as it stands, without cases since removed from the table. */
function existingCapture(engine: EngineName): CapturedEngine | undefined {
  const file = path.join(dir, `${engine}.json`);
  if (!existsSync(file)) return undefined;
  const captured = JSON.parse(readFileSync(file, 'utf8')) as CapturedEngine;
  return { ...captured, cases: captured.cases.filter((c) => MATRIX_CASES.some((m) => m.name === c.case)) };
}

const byEngine = new Map<EngineName, CapturedEngine>();
for (const test of reportPaths.flatMap((p) => [...tests(JSON.parse(readFileSync(p, 'utf8')) as JsonSuite)])) {
  const result = test.results.at(-1);
  const attachment = result?.attachments.find((a) => a.name === 'cors-observed.json');
  if (result === undefined || attachment === undefined) continue;
  const observed = JSON.parse(attachmentText(attachment)) as ObservedCase;
  // An older report may hold cases since removed from the table.
  if (!MATRIX_CASES.some((c) => c.name === observed.case)) continue;
  const engine = observed.engine as EngineName;
  const entry = byEngine.get(engine) ?? existingCapture(engine) ?? {
    engine,
    capturedWith: engineLine(readEngine(test.annotations)) ?? engine,
    capturedAt: new Date().toISOString(),
    cases: [],
  };
  // The engine line of the latest report that has one (older reports wrote it another way).
  entry.capturedWith = engineLine(readEngine(test.annotations)) ?? entry.capturedWith;
  entry.cases = entry.cases.filter((c) => c.case !== observed.case);
  entry.cases.push({
    area: observed.area,
    case: observed.case,
    steps: observed.steps.map((step) => ({
      method: step.request.method,
      client: step.request.client,
      url: step.request.url,
      observedOutcome: outcomeOf(step.result),
      messages: step.messages,
    })),
  });
  entry.capturedAt = new Date().toISOString();
  byEngine.set(engine, entry);
}
for (const entry of byEngine.values()) {
  entry.cases.sort((a, b) => a.case.localeCompare(b.case));
  const file = path.join(dir, `${entry.engine}.json`);
  writeFileSync(file, `${JSON.stringify(entry, null, 2)}\n`);
  console.log(`${file}: ${entry.cases.length} cases from ${entry.capturedWith}`);
}
if (byEngine.size === 0) console.error('no cors-observed.json attachments found in the report');
