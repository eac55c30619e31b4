/**
 * The website origin: serves the seed's CORS test page with jQuery, and the Okta SDK page with
 * okta-auth-js (both from node_modules, no CDN).
 * The same app is listened on twice, as an origin the API trusts and as one it does not.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';
import { LAB_PREFIX } from '../okta-api/cors-lab/behaviour.js';
import { corsLabRouter, type LabSites } from '../okta-api/cors-lab/router.js';
import { withOwnAssetsInline } from './inline-assets.js';

const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');
const require = createRequire(import.meta.url);
const jqueryDist = path.dirname(require.resolve('jquery'));
// The SDK's own browser bundle (global `OktaAuth`), as its package ships it.
const oktaAuthDist = path.join(path.dirname(require.resolve('@okta/okta-auth-js/package.json')), 'dist');

export interface WebsiteOptions {
  /** Also serve the CORS lab (same-origin and second-origin hops of the matrix), logged by `exchangeLog`. */
  corsLab?: { sites: LabSites; exchangeLog: RequestHandler };
}

function page(html: string): RequestHandler {
  return (_req, res) => {
    res.type('html').send(html);
  };
}

export function createWebsite(options: WebsiteOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  if (options.corsLab !== undefined) app.use(LAB_PREFIX, options.corsLab.exchangeLog, corsLabRouter(options.corsLab.sites));
  app.use('/vendor/jquery', express.static(jqueryDist, { index: false }));
  app.use('/vendor/okta-auth-js', express.static(oktaAuthDist, { index: false }));
  // Built once per app, not per request.
  app.get(['/', '/index.html'], page(withOwnAssetsInline(publicDir, 'index.html')));
  app.get('/probe.html', page(withOwnAssetsInline(publicDir, 'probe.html')));
  // The SDK page is also the OIDC app's sign-in redirect URI.
  app.get(['/sdk.html', '/login/callback'], page(withOwnAssetsInline(publicDir, 'sdk.html')));
  app.use(express.static(publicDir, { index: false }));
  app.use((_req, res) => {
    res.status(404).type('text').send('Not found. The CORS test page is at /\n');
  });
  return app;
}
