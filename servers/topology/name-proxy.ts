/**
 * A forward proxy (HTTP CONNECT) that resolves the suite's host names to this machine, for an
 * engine with no host-resolver switch of its own (WebKitGTK's MiniBrowser takes --proxy).
 * Only CONNECT to a suite name is tunnelled, to the same port on NAMES_ADDRESS; anything else
 * gets 403, so a browser pointed at it can reach nothing but the suite's servers.
 * Hand-written (40 lines): the npm proxies resolve names through DNS, which is what this avoids.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import getPort from 'get-port';
import { NAMES_ADDRESS, SUITE_HOST_NAMES } from './topologies.js';

export interface NameProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

/** "app.example.test:8443" → its port when the host is a suite name. */
function suitePort(authority: string | undefined, names: readonly string[]): number | undefined {
  const m = /^([^:]+):(\d{1,5})$/.exec(authority ?? '');
  const port = Number(m?.[2]);
  return m && names.includes((m[1] ?? '').toLowerCase()) && port > 0 && port < 65536 ? port : undefined;
}

export async function startNameProxy(names: readonly string[] = SUITE_HOST_NAMES): Promise<NameProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.writeHead(405, { 'content-type': 'text/plain' }).end('This proxy only tunnels HTTPS (CONNECT) to the suite\'s host names.\n');
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const port = suitePort(req.url, names);
    if (port === undefined) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    // No Nagle on either side: a TLS handshake's small writes would each wait for a delayed ACK.
    client.setNoDelay(true);
    let tunnelled = false;
    const upstream = connect({ port, host: NAMES_ADDRESS, noDelay: true }, () => {
      tunnelled = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    // Before the tunnel, the client still speaks HTTP to the proxy. Inside it, it speaks TLS, and
    // a plaintext 502 would read as a corrupt record ("an unexpected TLS packet" in WebKitGTK):
    // pass the server's reset on instead, which a browser answers by retrying on a new connection.
    upstream.on('error', () => (tunnelled ? client.resetAndDestroy() : client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n')));
  });
  const port = await getPort({ host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`name proxy: cannot listen on 127.0.0.1:${port}: ${error.message}`)));
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
