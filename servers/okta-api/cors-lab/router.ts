/**
 * The CORS lab: a deliberate misconfiguration lab, separate from the Okta-like `/api/v1`.
 *
 * Each URL says how to answer (see behaviour.ts): any Access-Control-Allow-Origin value or
 * values (`*`, `null`, a wrong origin, two headers…), any Allow-Credentials, methods, headers,
 * Max-Age, status and redirect. It may send what no real server should, because the suite
 * checks how browsers react to exactly that. The org's own endpoints never use it: their CORS
 * comes from the Trusted Origins store (cors-policy.ts) and nothing here reads that store.
 */
import { Router, type Request, type Response } from 'express';
import type { Exchange, ExchangeLog } from '../exchange-log.js';
import {
  BehaviourError,
  decodeBehaviour,
  LAB_PREFIX,
  type LabAnswer,
  type LabBehaviour,
  type LabCorsHeaders,
} from './behaviour.js';

const HEADER_NAMES: Record<keyof LabCorsHeaders, string> = {
  allowOrigin: 'Access-Control-Allow-Origin',
  allowCredentials: 'Access-Control-Allow-Credentials',
  allowMethods: 'Access-Control-Allow-Methods',
  allowHeaders: 'Access-Control-Allow-Headers',
  exposeHeaders: 'Access-Control-Expose-Headers',
  maxAge: 'Access-Control-Max-Age',
};

function isPreflight(req: Request): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}

function applyAnswer(res: Response, shared: LabCorsHeaders | undefined, answer: LabAnswer | undefined): void {
  const cors: LabCorsHeaders = { ...shared, ...answer?.cors };
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
  if (answer?.location !== undefined) res.setHeader('Location', answer.location);
  if (answer?.setCookie !== undefined) res.setHeader('Set-Cookie', answer.setCookie);
}

/** Mounted at LAB_PREFIX (`/cors-lab`). */
export function corsLabRouter(): Router {
  const router = Router();
  router.use((req, res) => {
    // req.path is `/<behaviour>/<resource…>` below the mount point.
    const [, segment = '', ...rest] = req.path.split('/');
    let behaviour: LabBehaviour;
    try {
      if (segment === '' || rest.length === 0) throw new BehaviourError(`use ${LAB_PREFIX}/<base64url(JSON behaviour)>/<resource>`);
      behaviour = decodeBehaviour(segment);
    } catch (error) {
      const message = error instanceof BehaviourError ? error.message : String(error);
      res.status(400).type('text').send(`cors-lab: malformed behaviour: ${message}\n`);
      return;
    }
    // The answers differ by Origin whenever a behaviour echoes one: never let a cache mix them.
    res.vary('Origin');
    if (isPreflight(req)) {
      applyAnswer(res, behaviour.cors, behaviour.preflight);
      res.status(behaviour.preflight?.status ?? 204).end();
      return;
    }
    applyAnswer(res, behaviour.cors, behaviour.actual);
    const status = behaviour.actual?.status ?? 200;
    res.status(status).json({ lab: behaviour.case, method: req.method, status });
  });
  return router;
}

/** The case a lab URL belongs to, or undefined for other URLs (and malformed lab URLs). */
export function labCaseOf(url: string): string | undefined {
  if (!url.startsWith(`${LAB_PREFIX}/`)) return undefined;
  const segment = url.slice(LAB_PREFIX.length + 1).split(/[/?]/)[0] ?? '';
  try {
    return decodeBehaviour(segment).case;
  } catch {
    return undefined;
  }
}

/** What the API received for one lab case: its preflights and requests, in order. */
export function labExchanges(log: ExchangeLog, labCase: string): Exchange[] {
  return log.entries().filter((entry) => labCaseOf(entry.url) === labCase);
}
