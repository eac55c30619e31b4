/**
 * The API's exchange log over a real socket: an exchange is logged by the time its response
 * reaches the client, so a test that saw the browser react to a response always finds it.
 */
import { get, type IncomingMessage } from 'node:http';
import { expect, test } from '@playwright/test';
import express from 'express';
import { listen } from '../../servers/listen.js';
import { ExchangeLog } from '../../servers/okta-api/exchange-log.js';

test('a response whose headers reached the client is in the log, before its body has ended', async () => {
  const log = new ExchangeLog();
  let endBody: () => void = () => undefined;
  const app = express();
  app.use(log.middleware);
  app.get('/slow', (_req, res) => {
    res.writeHead(200, { 'x-okta-request-id': 'slow-1', 'content-type': 'text/plain' });
    res.write('first part');
    endBody = () => res.end('last part');
  });
  const server = await listen(app);
  try {
    const response = await new Promise<IncomingMessage>((resolve, reject) => get(`${server.url}/slow`, resolve).on('error', reject));
    // The client holds the status and headers; the server has not ended the response.
    expect(log.entries()).toEqual([
      expect.objectContaining({ method: 'GET', url: '/slow', status: 200, responseHeaders: { 'x-okta-request-id': 'slow-1' } }),
    ]);
    endBody();
    response.resume();
    await new Promise((resolve) => response.on('end', resolve));
    expect(log.entries()).toHaveLength(1);
  } finally {
    await server.close();
  }
});
