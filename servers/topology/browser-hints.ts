/**
 * For `npm run serve -- --topology NAME`: how a person opens the https URLs under the suite's
 * names in their own browser, without editing /etc/hosts. The CA's certificate is written to a
 * file (public, no key) for browsers that import it; it is removed when the servers stop.
 */
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalTls } from './tls.js';
import { hostResolverRules, SUITE_HOST_NAMES } from './topologies.js';

export async function writeCaCertificate(tls: LocalTls): Promise<{ path: string; remove(): Promise<void> }> {
  const path = join(tmpdir(), `cors-conformance-ca-${process.pid}.pem`);
  await writeFile(path, tls.caCert, { mode: 0o644 });
  return { path, remove: () => rm(path, { force: true }) };
}

/** A few lines: a Chromium command line, and what to do in Firefox. */
export function browserHints(tls: LocalTls, caFile: string, startUrl: string): string {
  return `Open these names in a browser told where they are (nothing else resolves them):
  Chromium: chromium --user-data-dir="$(mktemp -d)" \\
              --host-resolver-rules="${hostResolverRules()}" \\
              --ignore-certificate-errors-spki-list=${tls.caSpkiSha256} \\
              '${startUrl}'
            (accepts this run's CA only; the CA is new at every start)
  Firefox:  in about:config set network.dns.localDomains to ${SUITE_HOST_NAMES.join(',')}
            and import ${caFile} under Settings › Certificates › Authorities (or accept the warning per site)`;
}
