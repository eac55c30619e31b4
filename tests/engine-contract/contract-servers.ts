/**
 * Tiny Express servers for the engines' own specs: a "site" and an "api" on two ports of
 * 127.0.0.1 (so requests between them are cross-origin), no part of the suite's servers.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import cors from 'cors';
import express, { type Express } from 'express';
import getPort from 'get-port';

export interface ContractServers {
  /** http://127.0.0.1:<site port> */
  site: string;
  /** http://127.0.0.1:<api port> */
  api: string;
  /** The api through another host name: cross-site, so WebKit swaps the WebContent process. */
  apiLocalhost: string;
  /** How many CORS preflights the api answered for `id`. */
  preflights(id: string): number;
  /** How many times either server served /cacheable/`id` (an HTTP cache hit never reaches it). */
  cacheableHits(id: string): number;
  close(): Promise<void>;
}

export async function startContractServers(): Promise<ContractServers> {
  const counts = new Map<string, number>();
  const count = (key: string): void => void counts.set(key, (counts.get(key) ?? 0) + 1);
  const site = express();
  const api = express();
  for (const app of [site, api]) addCommonRoutes(app, count);
  // Allows the site's origin with credentials, PUT and a custom header, cached for 10 minutes.
  const preflighted = cors({ origin: true, credentials: true, methods: ['PUT'], allowedHeaders: ['x-test'], maxAge: 600 });
  api.options('/preflight/:id', (req, res, next) => {
    count(`preflight/${req.params.id}`);
    preflighted(req, res, next);
  });
  api.put('/preflight/:id', preflighted, (_req, res) => {
    res.json({ ok: true });
  });
  // A credentialed cross-origin read the site may make (the benchmark's floor XHR).
  api.get('/cors-ok', cors({ origin: true, credentials: true }), (_req, res) => {
    res.json({ ok: true });
  });
  // What cookie a credentialed cross-origin request from the site carried.
  api.get('/cors-cookie-echo', cors({ origin: true, credentials: true }), (req, res) => {
    res.json({ cookie: req.headers.cookie ?? null });
  });
  // 200 without any Access-Control-* header: a cross-origin read is blocked.
  api.get('/no-cors', (_req, res) => {
    res.json({ secret: 42 });
  });
  const [siteServer, apiServer] = await Promise.all([listen(site), listen(api)]);
  return {
    site: `http://127.0.0.1:${port(siteServer)}`,
    api: `http://127.0.0.1:${port(apiServer)}`,
    apiLocalhost: `http://localhost:${port(apiServer)}`,
    preflights: (id) => counts.get(`preflight/${id}`) ?? 0,
    cacheableHits: (id) => counts.get(`cacheable/${id}`) ?? 0,
    close: async () => {
      await Promise.all([close(siteServer), close(apiServer)]);
    },
  };
}

function addCommonRoutes(app: Express, count: (key: string) => void): void {
  app.get('/page', (req, res) => {
    const log = typeof req.query.log === 'string' ? req.query.log : 'site page';
    res.type('html').send(
      `<!doctype html><title>site</title><div id="box" style="width:100px;height:50px;background:#c00"></div>` +
        `<script>console.log(${scriptString(log)})</script>`,
    );
  });
  app.get('/repeat', (_req, res) => {
    res
      .type('html')
      .send(`<!doctype html><script>for (let i = 0; i < 3; i++) console.log('same'); console.warn('careful'); console.error('broken');</script>`);
  });
  app.get('/flag-later', (_req, res) => {
    res.type('html').send(`<!doctype html><script>setTimeout(() => { window.readyFlag = true; }, 100);</script>`);
  });
  app.get('/setcookie', (_req, res) => {
    res.cookie('sid', 'secret', { httpOnly: true });
    res.cookie('deep', '1', { path: '/deep' });
    res.type('html').send('<!doctype html><p>cookies set</p>');
  });
  app.get(['/cookie-echo', '/deep/cookie-echo'], (req, res) => {
    res.json({ cookie: req.headers.cookie ?? null });
  });
  app.get('/cacheable/:id', (req, res) => {
    count(`cacheable/${req.params.id}`);
    res.set('Cache-Control', 'public, max-age=600').json({ id: req.params.id });
  });
  // Headers, then nothing: the load event never fires.
  app.get('/never-loads', (_req, res) => {
    res.type('html').write('<!doctype html><p>loading forever');
  });
  // A page that blocks, for `ms`, whatever evaluate runs next (for navigation-during-evaluate).
  app.get('/slow-script', (req, res) => {
    const ms = Number(req.query.ms ?? 2000);
    res.type('js').send(`(() => { const end = Date.now() + ${ms}; while (Date.now() < end); })();`);
  });
  // Embedded by /messages as a cross-origin iframe, and loaded as a dedicated worker.
  app.get('/frame-blocked', (req, res) => {
    const target = String(req.query.target);
    res.type('html').send(`<!doctype html><script>console.log('frame: start');
fetch(${scriptString(target)}, { credentials: 'include' }).catch(() => { console.log('frame: blocked'); parent.postMessage('done', '*'); });</script>`);
  });
  app.get('/worker-blocked.js', (req, res) => {
    const target = String(req.query.target);
    res.type('js').send(`console.log('worker: start');
fetch(${scriptString(target)}, { credentials: 'include' }).catch(() => { console.log('worker: blocked'); postMessage('done'); });`);
  });
}

function scriptString(text: string): string {
  return JSON.stringify(text).replace(/</g, '\\u003c');
}

async function listen(app: Express): Promise<Server> {
  const server = createServer(app);
  server.listen(await getPort({ host: '127.0.0.1' }), '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function port(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  return address.port;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
