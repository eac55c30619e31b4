/**
 * The one channel between what a test records and what the reporters read: typed facts kept as
 * Playwright annotations (the only per-test data that survives `merge-reports`), each a `type`
 * and the JSON of its value. Every fact is written with `recordX(testInfo, value)` (or, known
 * before the test runs, `xAnnotation(value)` in the test's details) and read with `readX`, all
 * in this module: nothing else builds or parses these descriptions.
 */
import { isRecord } from '../../../servers/util/is-record.js';
import { REASON_CODES, type ReasonCode } from '../cors/reason-catalog.js';
import type { EngineInfo } from '../engines/engine.js';
import { COOKIE_POLICIES, type CookiePolicy } from '../engines/cookie-policy.js';
import { TOPOLOGY_NAMES, type TopologyName } from '../../../servers/topology/topologies.js';
import { CLIENTS, type Client } from '../../pages/cors-test-page.js';

export interface Annotation {
  type: string;
  description?: string;
}

/** What a test can record on: Playwright's TestInfo. */
export interface AnnotationSink {
  annotations: Annotation[];
}

type CorsOutcome = 'readable' | 'blocked';

/** What a CORS scenario observed: the matrix's cell and the Allure categories read it. */
export interface CorsCase {
  /** The scenario area, e.g. "preflight" or "credentials". */
  area: string;
  case: string;
  outcome: CorsOutcome;
  /** The engine's reason code when blocked; a cookie reason when readable but the session stayed home; else null. */
  reason: ReasonCode | CookieReason | null;
  /** Whether the org's session cookie went with the call, where the scenario signed in. */
  cookie?: CookieWent;
}

/** A readable call that carried no session because the engine withheld the org's cookie. */
const COOKIE_REASONS = ['third-party-cookie-withheld'] as const;
export type CookieReason = (typeof COOKIE_REASONS)[number];
export type CookieWent = 'sent' | 'withheld';

/** Where a test ran (servers/topology/) and the engine's third-party-cookie policy (null: none set). */
export interface SiteNote {
  topology: TopologyName;
  cookiePolicy: CookiePolicy | null;
}

const SEVERITIES = ['blocker', 'critical', 'normal', 'minor', 'trivial'] as const;
type Severity = (typeof SEVERITIES)[number];

const ENGINE_NAMES: readonly string[] = ['chromium', 'firefox', 'webkit'] satisfies readonly EngineInfo['name'][];
const ENGINE_KINDS: readonly string[] = ['playwright', 'system'] satisfies readonly EngineInfo['kind'][];

const oneOf = <T extends string>(values: readonly T[]) => (value: unknown): T | undefined =>
  values.find((v) => v === value);

function engineInfo(value: unknown): EngineInfo | undefined {
  if (!isRecord(value)) return undefined;
  const { name, kind, version, description } = value;
  if (typeof name !== 'string' || !ENGINE_NAMES.includes(name) || typeof kind !== 'string' || !ENGINE_KINDS.includes(kind)) return undefined;
  if (typeof version !== 'string' || typeof description !== 'string') return undefined;
  return { name: name as EngineInfo['name'], kind: kind as EngineInfo['kind'], version, description };
}

function corsCase(value: unknown): CorsCase | undefined {
  if (!isRecord(value)) return undefined;
  const outcome = oneOf<CorsOutcome>(['readable', 'blocked'])(value['outcome']);
  const reason = value['reason'] === null ? null : oneOf<ReasonCode | CookieReason>([...REASON_CODES, ...COOKIE_REASONS])(value['reason']);
  const cookie = oneOf<CookieWent>(['sent', 'withheld'])(value['cookie']);
  const { area, case: name } = value;
  if (outcome === undefined || reason === undefined || typeof area !== 'string' || typeof name !== 'string') return undefined;
  return { area, case: name, outcome, reason, ...(cookie === undefined ? {} : { cookie }) };
}

const POLICIES: readonly CookiePolicy[] = Object.values(COOKIE_POLICIES).flatMap((p) => Object.values(p));

function siteNote(value: unknown): SiteNote | undefined {
  if (!isRecord(value)) return undefined;
  const topology = oneOf<TopologyName>(TOPOLOGY_NAMES)(value['topology']);
  const policy = value['cookiePolicy'];
  const cookiePolicy = policy === null ? null : POLICIES.find((p) => isRecord(policy) && p.id === policy['id']);
  if (topology === undefined || cookiePolicy === undefined) return undefined;
  return { topology, cookiePolicy };
}

/** One kind of fact: its annotation type and the check that keeps a malformed one out of reports. */
function channel<T>(type: string, accept: (value: unknown) => T | undefined) {
  const decode = (description: string | undefined): T | undefined => {
    if (description === undefined) return undefined;
    try {
      return accept(JSON.parse(description));
    } catch {
      return undefined;
    }
  };
  const all = (annotations: readonly Annotation[]): T[] =>
    annotations.filter((a) => a.type === type).map((a) => decode(a.description)).filter((v): v is T => v !== undefined);
  return {
    annotation: (value: T): Annotation => ({ type, description: JSON.stringify(value) }),
    record: (test: AnnotationSink, value: T): void => {
      test.annotations.push({ type, description: JSON.stringify(value) });
    },
    all,
    /** The last one recorded: a test's own record wins over what its describe declared. */
    last: (annotations: readonly Annotation[]): T | undefined => all(annotations).at(-1),
  };
}

const engine = channel('engine', engineInfo);
const corsCases = channel('cors-case', corsCase);
const client = channel('client', oneOf<Client>(CLIENTS));
const severity = channel('severity', oneOf<Severity>(SEVERITIES));
const site = channel('site', siteNote);
/** The engine that ran the test (the testRecord fixture records it). */
export const recordEngine = engine.record;
export const readEngine = engine.last;

/** What a CORS scenario observed, one per case, in the order recorded. */
export const recordCorsCase = corsCases.record;
export const readCorsCases = corsCases.all;

/** The test's topology and the engine's cookie policy (the testRecord fixture records it on every test). */
export const recordSite = site.record;
export const readSite = site.last;

/** The page's client a test drives (xhr, jquery, fetch). */
export const clientAnnotation = client.annotation;
export const recordClient = client.record;
export const readClient = client.last;

/** How much a failure matters (Allure's severities); "normal" when none is recorded. */
export const severityAnnotation = severity.annotation;
export const readSeverity = severity.last;

/** The engine's own message for one block, for people reading the test's report (no reporter reads it). */
export function recordCorsBlockNote(test: AnnotationSink, block: { reason: ReasonCode; raw: string }): void {
  test.annotations.push({ type: 'cors-block', description: `${block.reason}: ${block.raw}` });
}
