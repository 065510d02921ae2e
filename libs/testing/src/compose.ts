import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** The repository root (libs/testing/src → ../../..). */
const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * The environment variable names docker-compose.yml sets for one service (merge keys resolved), so each service
 * can check that every variable users are told to set is one it really reads.
 */
export function composeServiceEnv(service: string): string[] {
  const doc = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, unknown> | string[] }>;
  };
  const env = doc.services[service]?.environment;
  if (!env) throw new Error(`docker-compose.yml has no environment for service "${service}"`);
  return Array.isArray(env) ? env.map((e) => e.split('=')[0]) : Object.keys(env);
}
