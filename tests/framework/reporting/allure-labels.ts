/**
 * Allure labels and parameters for one test, derived from what the test already is (its spec
 * file, describe titles, title and annotations) so that spec files carry no reporting code.
 *
 * - epic: the spec file ("seed-scenarios.spec.ts" → "Seed scenarios"), feature: the `cors-case`
 *   area, else the describe titles, story: the `cors-case` case, else the title's lead before ":".
 * - severity: the one the test recorded (annotations.ts), else normal.
 * - parameters: engine (name, version, build), the client the test recorded, and
 *   the page origins the API saw. Engine and origin are left out of Allure's history id: their
 *   versions and ports change from run to run, and the Project parameter already names the engine.
 * - `corsOutcome`/`corsReason` labels from `cors-case` annotations feed the report's categories.
 * - the display name gets the engine, e.g. "origin: other port [webkit]".
 *
 * `fallbackLabels` covers the tests the fixture never labels (see allure-playwright-reporter.ts).
 */
import { basename } from 'node:path';
import * as allure from 'allure-js-commons';
import type { Label, Parameter } from 'allure-js-commons';
import type { RuntimeMessage } from 'allure-js-commons/sdk';
import { getGlobalTestRuntimeWithAutoconfig, type TestRuntime } from 'allure-js-commons/sdk/runtime';
import type { EngineInfo } from '../engines/engine.js';
import { readClient, readCorsCases, readSeverity, type Annotation } from './annotations.js';

export interface TestFacts {
  /** The spec file's path. */
  file: string;
  /** Describe titles, then the test's title (Playwright's testInfo.titlePath without the file). */
  titlePath: readonly string[];
  annotations: readonly Annotation[];
  engine?: Pick<EngineInfo, 'name' | 'version' | 'kind'>;
  /** Origin headers the API received during the test, in order. */
  origins: readonly (string | undefined)[];
  /** Names for the worker's own site origins, e.g. { 'http://127.0.0.1:5103': 'trusted site' }. */
  knownOrigins: Readonly<Record<string, string>>;
}

export interface AllureMetadata {
  labels: Label[];
  parameters: Parameter[];
  /** The title with the engine: one scenario's three results must not read alike in the tree. */
  displayName?: string;
}

const ACRONYMS: Record<string, string> = { cors: 'CORS', api: 'API', xhr: 'XHR', http: 'HTTP', url: 'URL' };

/** "trusted-origins-lifecycle.spec.ts" → "Trusted origins lifecycle". */
export function specArea(file: string): string {
  const words = basename(file).replace(/(\.unit)?\.spec\.[cm]?[jt]s$/, '').split(/[-_.\s]+/).filter(Boolean);
  const text = words.map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase()).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "allowed: a signed-in user …" → "allowed"; a title without a short lead is its own story. */
function storyOf(title: string): string {
  const lead = /^([^:]{1,60}):\s/.exec(title)?.[1];
  return lead ?? title;
}

function nameOrigin(origin: string, known: TestFacts['knownOrigins']): string {
  const name = origin === 'null' ? 'opaque origin' : known[origin];
  return name === undefined ? origin : `${name} (${origin})`;
}

export function allureMetadata(facts: TestFacts): AllureMetadata {
  const { annotations } = facts;
  const title = facts.titlePath.at(-1) ?? '';
  const describes = facts.titlePath.slice(0, -1);
  const cases = readCorsCases(annotations);

  const epic = specArea(basename(facts.file));
  const feature = cases[0]?.area || (describes.length > 0 ? describes.join(' › ') : 'General');
  const story = cases[0]?.case || storyOf(title);
  const severity = readSeverity(annotations) ?? 'normal';

  const labels: Label[] = [
    { name: 'epic', value: epic },
    { name: 'feature', value: feature },
    { name: 'story', value: story },
    { name: 'severity', value: severity },
  ];
  for (const outcome of new Set(cases.map((c) => c.outcome))) labels.push({ name: 'corsOutcome', value: outcome });
  for (const reason of new Set(cases.flatMap((c) => (c.reason === null ? [] : [c.reason])))) {
    labels.push({ name: 'corsReason', value: reason });
  }
  if (facts.engine) {
    labels.push({ name: 'engine', value: facts.engine.name }, { name: 'engineBuild', value: facts.engine.kind });
  }

  const parameters: Parameter[] = [];
  if (facts.engine) {
    const { name, version, kind } = facts.engine;
    parameters.push({ name: 'engine', value: `${name} ${version} (${kind})`, excluded: true });
  }
  const client = readClient(annotations);
  if (client !== undefined) parameters.push({ name: 'client', value: client });
  const origins = [...new Set(facts.origins.filter((o): o is string => o !== undefined))];
  if (origins.length > 0) {
    parameters.push({ name: 'origin', value: origins.map((o) => nameOrigin(o, facts.knownOrigins)).join(', '), excluded: true });
  }
  return { labels, parameters, ...(facts.engine ? { displayName: `${title} [${facts.engine.name}]` } : {}) };
}

/**
 * Labels for a test the fixture never labelled: browser-free checks, the WebKit driver's own
 * tests, or a browser test that failed before its end (an engine that did not start). Read
 * from the labels allure-playwright itself sets: parentSuite (project), suite (file), subSuite.
 */
export function fallbackLabels(labels: readonly Label[], name: string, engineProjects: readonly string[]): Label[] {
  const value = (n: string) => labels.find((l) => l.name === n)?.value;
  if (value('epic') !== undefined) return [];
  const project = value('parentSuite') ?? '';
  const file = value('suite') ?? '';
  const describes = value('subSuite');
  const browser = engineProjects.includes(project);
  const epic = browser ? specArea(file) : project === 'unit' ? 'Browser-free checks' : `Project ${project}`;
  const feature = browser ? (describes ?? 'General') : specArea(file);
  const story = browser ? storyOf(name) : (describes ?? storyOf(name));
  const fallback: Label[] = [
    { name: 'epic', value: epic },
    { name: 'feature', value: feature },
    { name: 'story', value: story },
  ];
  if (value('severity') === undefined) fallback.push({ name: 'severity', value: 'normal' });
  return fallback;
}

type MessageRuntime = TestRuntime & { sendMessage(message: RuntimeMessage): Promise<void> };

function sendsMessages(runtime: TestRuntime): runtime is MessageRuntime {
  return typeof (runtime as Partial<MessageRuntime>).sendMessage === 'function';
}

/**
 * Hands the metadata to allure-playwright through allure-js-commons. One runtime message carries
 * it all, so Playwright's HTML report shows one "Allure Metadata" attachment instead of four.
 */
export async function recordAllureMetadata({ labels, parameters, displayName }: AllureMetadata): Promise<void> {
  const runtime = await getGlobalTestRuntimeWithAutoconfig();
  if (sendsMessages(runtime)) {
    await runtime.sendMessage({ type: 'metadata', data: { labels, parameters, ...(displayName ? { displayName } : {}) } });
    return;
  }
  await allure.labels(...labels);
  for (const p of parameters) await allure.parameter(p.name, p.value, { excluded: p.excluded ?? false });
  if (displayName) await allure.displayName(displayName);
}
