/** Listening on real sockets, on ports from get-port unless a port is asked for. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import getPort from 'get-port';

export const HOST = '127.0.0.1';

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(app: Express, port?: number): Promise<Listening> {
  const chosen = port ?? (await getPort({ host: HOST }));
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(chosen, HOST, (error?: Error) => (error ? reject(error) : resolve(s)));
    s.once('error', reject);
  }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === 'EADDRINUSE'
        ? `port ${chosen} on ${HOST} is already in use: choose another or leave it out to get a free one`
        : `cannot listen on ${HOST}:${chosen}: ${error.message}`,
    );
  });
  // Browsers keep connections alive; without this, close() would wait for them.
  server.keepAliveTimeout = 1000;
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
