import { ADMIN_API_KEY } from '../stack/stack';
import { EVENT_SCHEMA, EVENT_TYPE } from './payload';

export interface BenchTenant {
  /** Name in the harness: main-0…, iso-fast, iso-slow, retry. */
  name: string;
  tenantId: string;
  apiKey: string;
  /** Endpoint ids by receiver path (/ep/0, /slow/iso, …). */
  endpoints: Array<{ path: string; endpointId: string }>;
}

async function call<T>(baseUrl: string, method: string, path: string, body: unknown, key = ADMIN_API_KEY): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/**
 * Creates one tenant over the REST API with the benchmark's event type, an endpoint per receiver path, and a
 * tenant-scoped API key (publishes use it, as a customer's service would).
 */
export async function createTenant(commandUrl: string, receiverUrl: string, name: string, paths: string[], endpointSettings: Record<string, unknown> = {}): Promise<BenchTenant> {
  const tenant = await call<{ id: string }>(commandUrl, 'POST', '/v1/tenants', { name: `bench ${name}` });
  await call(commandUrl, 'POST', `/v1/tenants/${tenant.id}/event-types`, { name: EVENT_TYPE, description: 'benchmark', schema: EVENT_SCHEMA });
  const endpoints = [];
  for (const path of paths) {
    const ep = await call<{ id: string }>(commandUrl, 'POST', `/v1/tenants/${tenant.id}/endpoints`, { url: `${receiverUrl}${path}`, event_types: [EVENT_TYPE], ...endpointSettings });
    endpoints.push({ path, endpointId: ep.id });
  }
  const key = await call<Record<string, unknown>>(commandUrl, 'POST', '/v1/api-keys', { name: `bench ${name}`, scope: 'tenant', tenant_id: tenant.id });
  const secret = [key.key, key.secret, key.api_key, key.token].find((v) => typeof v === 'string' && (v as string).length >= 20) as string | undefined;
  if (!secret) throw new Error(`POST /v1/api-keys answered without a key: ${JSON.stringify(Object.keys(key))}`);
  return { name, tenantId: tenant.id, apiKey: secret, endpoints };
}

/** The main tenants of a run: `tenants` of them, `endpointsPerTenant` fast endpoints each (/ep/0, /ep/1, … across all). */
export async function createMainTenants(commandUrl: string, receiverUrl: string, tenants: number, endpointsPerTenant: number): Promise<BenchTenant[]> {
  const main: BenchTenant[] = [];
  for (let t = 0; t < tenants; t++) {
    const paths = Array.from({ length: endpointsPerTenant }, (_, e) => `/ep/${t * endpointsPerTenant + e}`);
    main.push(await createTenant(commandUrl, receiverUrl, `main-${t}`, paths));
  }
  return main;
}
