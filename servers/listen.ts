/** Listening on real sockets, on ports from get-port unless a port is asked for. */
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Express } from 'express';
import getPort from 'get-port';

export const HOST = '127.0.0.1';

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Serve HTTPS with this key and certificate chain (PEM) instead of HTTP. */
  tls?: { key: string; cert: string };
  /** The host name the URL carries (it must resolve to HOST where it is used); HOST by default. */
  urlHost?: string;
}

export async function listen(app: Express, port?: number, options: ListenOptions = {}): Promise<Listening> {
  const chosen = port ?? (await getPort({ host: HOST }));
  const server = await new Promise<Server>((resolve, reject) => {
    const s: Server = options.tls ? createHttpsServer(options.tls, app) : createHttpServer(app);
    s.once('error', reject);
    s.listen(chosen, HOST, () => resolve(s));
  }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === 'EADDRINUSE'
        ? `port ${chosen} on ${HOST} is already in use: choose another or leave it out to get a free one`
        : `cannot listen on ${HOST}:${chosen}: ${error.message}`,
    );
  });
  server.keepAliveTimeout = 1000;
  // Every socket, not just the HTTP connections Node tracks: a browser's TLS connection still in
  // (or idle after) its handshake is not one yet, and close() would wait for the browser to drop it.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://${options.urlHost ?? HOST}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
