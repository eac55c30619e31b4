/**
 * The suite's own certificate authority and one server certificate for every suite host name,
 * made at start (nothing private is ever committed or written to disk by the suite). One per
 * process: a test worker's servers and engine share it, so the engine can be told to accept
 * exactly this CA and nothing else.
 */
import { createHash, X509Certificate } from 'node:crypto';
import selfsigned from 'selfsigned';
import { SUITE_HOST_NAMES } from './topologies.js';

export interface LocalTls {
  /** The CA's certificate (PEM): what a person imports to trust the servers. */
  caCert: string;
  /** base64 SHA-256 of the CA's public key (SPKI): Chromium's --ignore-certificate-errors-spki-list. */
  caSpkiSha256: string;
  /** What an HTTPS server presents: the leaf and the CA (so an engine pinning the CA sees it). */
  server: { key: string; cert: string };
}

const VALID_MS = 7 * 24 * 3600_000;

async function makeLocalTls(): Promise<LocalTls> {
  // A day back: a clock a little behind must not see a certificate from the future.
  const validity = { notBeforeDate: new Date(Date.now() - 24 * 3600_000), notAfterDate: new Date(Date.now() + VALID_MS) };
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'cors-conformance local test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = await selfsigned.generate([{ name: 'commonName', value: SUITE_HOST_NAMES[0] ?? 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: SUITE_HOST_NAMES.map((value) => ({ type: 2 as const, value })) },
    ],
  });
  const spki = new X509Certificate(ca.cert).publicKey.export({ type: 'spki', format: 'der' });
  return {
    caCert: ca.cert,
    caSpkiSha256: createHash('sha256').update(spki).digest('base64'),
    server: { key: leaf.private, cert: `${leaf.cert.trim()}\n${ca.cert.trim()}\n` },
  };
}

let made: Promise<LocalTls> | undefined;

/** The process's CA and server certificate, made on first use; a failure is one line. */
export function localTls(): Promise<LocalTls> {
  made ??= makeLocalTls().catch((error: unknown) => {
    made = undefined;
    throw new Error(`cannot make the local TLS certificates (selfsigned): ${error instanceof Error ? error.message : String(error)}`);
  });
  return made;
}
