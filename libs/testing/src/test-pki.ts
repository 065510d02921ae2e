import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface IssuedCertificate {
  cert: string;
  key: string;
}

export interface TestPki {
  /** The CA's certificate (PEM): trust it to accept what it issued. */
  ca: string;
  /** A certificate for a TLS server at `ip` (subjectAltName IP), signed by the CA. */
  server(ip: string): IssuedCertificate;
  /** A client certificate (extendedKeyUsage clientAuth) for `commonName`, signed by the CA. */
  client(commonName: string): IssuedCertificate;
}

/**
 * A throw-away certificate authority made with the openssl CLI (EC P-256 keys, valid for a day), for tests of TLS
 * and mutual TLS against servers on 127.0.0.1. Throws when openssl is not installed.
 */
export function createTestPki(name = 'Hookline test CA'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign', '-keyout', 'ca.key', '-out', 'ca.pem');
    const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const caKey = readFileSync(join(dir, 'ca.key'), 'utf8');
    let serial = 0;
    const issue = (subject: string, extensions: string): IssuedCertificate => {
      const work = mkdtempSync(join(tmpdir(), 'hookline-pki-issue-'));
      try {
        writeFileSync(join(work, 'ca.pem'), ca);
        writeFileSync(join(work, 'ca.key'), caKey);
        writeFileSync(join(work, 'ext.cnf'), extensions);
        const run = (...args: string[]) => execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
        run('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', subject, '-keyout', 'leaf.key', '-out', 'leaf.csr');
        serial += 1;
        run('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(Date.now() * 100 + serial), '-days', '1',
          '-extfile', 'ext.cnf', '-out', 'leaf.pem');
        return { cert: readFileSync(join(work, 'leaf.pem'), 'utf8'), key: readFileSync(join(work, 'leaf.key'), 'utf8') };
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    };
    return {
      ca,
      server: (ip) => issue(`/CN=${ip}`, `subjectAltName=IP:${ip}\nextendedKeyUsage=serverAuth\n`),
      client: (commonName) => issue(`/CN=${commonName}`, 'extendedKeyUsage=clientAuth\n'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
