/**
 * Okta's Trusted Origins admin API, mounted at /api/v1/trustedOrigins:
 *   POST   /                              create (ACTIVE)
 *   GET    /?q=&filter=&limit=&after=     list, oldest first, Link: rel="next" when more
 *   GET|PUT|DELETE /{id}                  read, replace name/origin/scopes, delete
 *   POST   /{id}/lifecycle/activate|deactivate
 * Every call needs `Authorization: SSWS <token>` (checked before the body is even parsed).
 * Whether the API answers CORS is decided where it is mounted (app.ts): it does not.
 */
import express, { Router, type Request, type Response } from 'express';
import { jsonObjectBody, OktaErrors, sendOktaError } from '../okta-errors.js';
import type { AdminToken } from './admin-token.js';
import { applyListQuery, ListQueryError, parseListQuery } from './list-query.js';
import { TrustedOriginStorageError, type TrustedOrigin, type TrustedOriginStore } from './store.js';
import { TrustedOriginNotFoundError, TrustedOriginValidationError } from './validation.js';

export const TRUSTED_ORIGINS_PATH = '/api/v1/trustedOrigins';

export interface AdminApiOptions {
  store: TrustedOriginStore;
  token: AdminToken;
  /** Recorded as createdBy / lastUpdatedBy: the user the token belongs to. */
  actor: string;
}

type Link = { href: string; hints: { allow: string[] } };

const baseUrl = (req: Request): string => `${req.protocol}://${req.get('host') ?? ''}`;
// Every route that calls this has an :id segment.
const idOf = (req: Request): string => {
  const id = req.params.id;
  return typeof id === 'string' ? id : '';
};

/** The entry as Okta answers it: with `self` and the one lifecycle link its status allows. */
function withLinks(entry: TrustedOrigin, base: string): TrustedOrigin & { _links: Record<string, Link> } {
  const self = `${base}${TRUSTED_ORIGINS_PATH}/${entry.id}`;
  const lifecycle = entry.status === 'ACTIVE' ? 'deactivate' : 'activate';
  return {
    ...entry,
    _links: {
      self: { href: self, hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      [lifecycle]: { href: `${self}/lifecycle/${lifecycle}`, hints: { allow: ['POST'] } },
    },
  };
}

/** Turns the store's and the query's errors into Okta's answers; anything else goes to app.ts's handler. */
function answerFailure(res: Response, error: unknown): void {
  if (error instanceof TrustedOriginValidationError) {
    OktaErrors.validationFailed(res, error.field, error.causes);
  } else if (error instanceof TrustedOriginNotFoundError) {
    OktaErrors.notFound(res, error.message);
  } else if (error instanceof ListQueryError && error.parameter === 'filter') {
    sendOktaError(res, 400, 'E0000031', 'Invalid search criteria.', [error.message]);
  } else if (error instanceof ListQueryError) {
    OktaErrors.validationFailed(res, error.parameter, [error.message]);
  } else if (error instanceof TrustedOriginStorageError) {
    console.error(`okta-api: ${error.message}`);
    sendOktaError(res, 500, 'E0000009', 'Internal Server Error', [`The change was not saved: ${error.message}`]);
  } else {
    throw error;
  }
}

const bodyOf = (req: Request, res: Response) => jsonObjectBody(req, res, 'Send the trusted origin as a JSON object');

/** Runs `work`, answering the store's and the query's errors the way Okta does. */
const handle =
  (work: (req: Request, res: Response) => void) =>
  (req: Request, res: Response): void => {
    try {
      work(req, res);
    } catch (error) {
      answerFailure(res, error);
    }
  };

/** GET /: one page of the list, with Okta's `Link` headers (`self`, and `next` when more follow). */
function listPage(store: TrustedOriginStore, req: Request, res: Response): void {
  const query = parseListQuery(req.query as Record<string, unknown>);
  const { page, more } = applyListQuery(store.list(), query);
  const base = baseUrl(req);
  const url = new URL(`${base}${req.originalUrl}`);
  const links = [`<${url.href}>; rel="self"`];
  const last = page.at(-1);
  if (more && last !== undefined) {
    url.searchParams.set('after', last.id);
    links.push(`<${url.href}>; rel="next"`);
  }
  res.setHeader('Link', links);
  res.json(page.map((entry) => withLinks(entry, base)));
}

export function trustedOriginsAdminApi({ store, token, actor }: AdminApiOptions): Router {
  const router = Router();
  router.use(token.guard);
  router.use(express.json({ limit: '16kb' }));

  router
    .route('/')
    .get(handle((req, res) => listPage(store, req, res)))
    .post(
      handle((req, res) => {
        const body = bodyOf(req, res);
        if (body !== undefined) res.json(withLinks(store.create(body, actor), baseUrl(req)));
      }),
    )
    .all((req, res) => OktaErrors.methodNotAllowed(res, req.method));

  router
    .route('/:id')
    .get(
      handle((req, res) => {
        const id = idOf(req);
        const entry = store.get(id);
        if (entry === undefined) throw new TrustedOriginNotFoundError(id);
        res.json(withLinks(entry, baseUrl(req)));
      }),
    )
    .put(
      handle((req, res) => {
        const id = idOf(req);
        // An unknown id is a 404 whatever the body says.
        if (store.get(id) === undefined) throw new TrustedOriginNotFoundError(id);
        const body = bodyOf(req, res);
        if (body !== undefined) res.json(withLinks(store.replace(id, body, actor), baseUrl(req)));
      }),
    )
    .delete(
      handle((req, res) => {
        store.delete(idOf(req));
        res.status(204).end();
      }),
    )
    .all((req, res) => OktaErrors.methodNotAllowed(res, req.method));

  for (const [operation, status] of [['activate', 'ACTIVE'], ['deactivate', 'INACTIVE']] as const) {
    router
      .route(`/:id/lifecycle/${operation}`)
      .post(handle((req, res) => res.json(withLinks(store.setStatus(idOf(req), status, actor), baseUrl(req)))))
      .all((req, res) => OktaErrors.methodNotAllowed(res, req.method));
  }

  return router;
}
