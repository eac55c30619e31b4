/**
 * The CORS lab: a deliberate misconfiguration lab, separate from the Okta-like `/api/v1`.
 *
 * Each URL says how to answer (see behaviour.ts): any Access-Control-Allow-Origin value or
 * values (`*`, `null`, a wrong origin, two headers…), any Allow-Credentials, methods, headers,
 * Max-Age, status, and redirects to the next hop on one of the suite's own sites. It may send
 * what no real server should, because the suite checks how browsers react to exactly that.
 * The org's own endpoints never use it: their CORS comes from the Trusted Origins store
 * (cors-policy.ts) and nothing here reads that store. The API and both websites mount it.
 */
import { Router, type Request, type Response } from 'express';
import type { Exchange, ExchangeLog, LabTag } from '../exchange-log.js';
import { isPreflight } from '../preflight.js';
import {
  BehaviourError,
  decodeBehaviour,
  hopIndex,
  hopOf,
  LAB_PREFIX,
  type LabAnswer,
  type LabCorsHeaders,
  type LabHop,
  type LabSite,
} from './behaviour.js';

const HEADER_NAMES: Record<keyof LabCorsHeaders, string> = {
  allowOrigin: 'Access-Control-Allow-Origin',
  allowCredentials: 'Access-Control-Allow-Credentials',
  allowMethods: 'Access-Control-Allow-Methods',
  allowHeaders: 'Access-Control-Allow-Headers',
  exposeHeaders: 'Access-Control-Expose-Headers',
  maxAge: 'Access-Control-Max-Age',
};

/** The origins of the suite's own sites, filled in once they listen; a redirect may only go there. */
export type LabSites = Partial<Record<LabSite, string>>;

function applyCors(res: Response, cors: LabCorsHeaders): void {
  for (const key of Object.keys(HEADER_NAMES) as (keyof LabCorsHeaders)[]) {
    const value = cors[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      // An array becomes one header line per value: how "two ACAO headers" is sent.
      if (value.length > 0) res.setHeader(HEADER_NAMES[key], value.length === 1 ? (value[0] ?? '') : value);
    } else {
      res.setHeader(HEADER_NAMES[key], value);
    }
  }
}

/** The Location of a redirect to the next hop: the same behaviour on a named site, never a host from the URL. */
function nextHopUrl(sites: LabSites, answer: LabAnswer, segment: string, hop: number): string {
  const redirect = answer.redirect;
  const origin = redirect === undefined ? undefined : sites[redirect.to];
  if (redirect === undefined || origin === undefined) throw new BehaviourError(`no site '${redirect?.to ?? ''}' is known to the lab`);
  const url = new URL(`${LAB_PREFIX}/${segment}/hop-${hop + 1}`, origin);
  if (redirect.userInfo === true) {
    url.username = 'lab-user';
    url.password = 'lab-password';
  }
  return url.href;
}

function answerWith(res: Response, hop: LabHop, answer: LabAnswer | undefined, location: string | undefined): void {
  applyCors(res, { ...hop.cors, ...answer?.cors });
  if (location !== undefined) res.setHeader('Location', location);
  if (answer?.setCookie !== undefined) res.setHeader('Set-Cookie', answer.setCookie);
}

/** A fixed date: a lab response never changes, so If-Modified-Since any time after it matches. */
const LAB_LAST_MODIFIED = 'Mon, 01 Jan 2024 00:00:00 GMT';

/**
 * Sets the answer's validators; true when the request is conditional and names them, so the
 * answer is a 304 (Express's req.fresh: If-None-Match first, else If-Modified-Since).
 */
function notModified(req: Request, res: Response, answer: LabAnswer | undefined): boolean {
  if (answer?.revalidate === undefined) return false;
  res.setHeader('ETag', `"${answer.revalidate.etag}"`);
  res.setHeader('Last-Modified', LAB_LAST_MODIFIED);
  return req.fresh;
}

/** Mounted at LAB_PREFIX (`/cors-lab`) on the API and on the websites. */
export function corsLabRouter(sites: LabSites): Router {
  const router = Router();
  router.use((req, res) => {
    // req.path is `/<behaviour>/<resource>` below the mount point.
    const [, segment = '', resource, ...rest] = req.path.split('/');
    try {
      if (segment === '' || resource === undefined || rest.length > 0) throw new BehaviourError(`use ${LAB_PREFIX}/<base64url(JSON behaviour)>/<resource>`);
      const behaviour = decodeBehaviour(segment);
      const index = hopIndex(resource);
      const hop = hopOf(behaviour, index);
      if (hop === undefined) throw new BehaviourError(`the behaviour has no hop ${index}`);
      const answer = isPreflight(req) ? hop.preflight : hop.actual;
      const location = answer?.redirect === undefined ? undefined : nextHopUrl(sites, answer, segment, index);
      // Tags the exchange log's entry: how a test finds its case's exchanges.
      res.locals.lab = { case: behaviour.case, hop: index } satisfies LabTag;
      // The answers differ by Origin whenever a behaviour echoes one: never let a cache mix them.
      res.vary('Origin');
      if (!isPreflight(req) && location === undefined && notModified(req, res, answer)) {
        // Only the 304's own CORS headers: the engine must take the rest from its stored response.
        applyCors(res, answer?.revalidate?.notModifiedCors ?? {});
        res.status(304).end();
        return;
      }
      answerWith(res, hop, answer, location);
      const status = answer?.status ?? (location !== undefined ? 302 : isPreflight(req) ? 204 : 200);
      if (isPreflight(req) || location !== undefined) {
        res.status(status).end();
        return;
      }
      res.status(status).json({ lab: behaviour.case, hop: index, method: req.method, status });
    } catch (error) {
      const message = error instanceof BehaviourError ? error.message : String(error);
      res.status(400).type('text').send(`cors-lab: malformed behaviour: ${message}\n`);
    }
  });
  return router;
}

/** What the servers received for one lab case, all hops and sites: its preflights and requests, in order. */
export function labExchanges(log: ExchangeLog, labCase: string): Exchange[] {
  return log.entries().filter((entry) => entry.lab?.case === labCase);
}
