/**
 * The website origin: serves the seed's CORS test page and jQuery (from node_modules, no CDN).
 * The same app is listened on twice, as an origin the API trusts and as one it does not.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';

const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');
const jqueryDist = path.dirname(createRequire(import.meta.url).resolve('jquery'));

export function createWebsite(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use('/vendor/jquery', express.static(jqueryDist, { index: false }));
  app.use(express.static(publicDir, { index: 'index.html' }));
  app.use((_req, res) => {
    res.status(404).type('text').send('Not found. The CORS test page is at /\n');
  });
  return app;
}
