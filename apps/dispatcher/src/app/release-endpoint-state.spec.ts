import { EndpointId, EndpointSettingsV1, OAuth2ClientCredentialsV1, SealedSecretV1, SecretId, TenantId } from '@hookline/contracts';
import { EndpointState, evolveEndpoint, initialEndpointState } from '@hookline/domain';
import { createLogger } from '@hookline/observability';
import { generateHmacSecret, parseSealingKey, sealSecret } from '@hookline/signing';
import { randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { SigningSecrets } from '../config-view/signing-secrets';
import { EndpointAgents } from '../delivery/endpoint-agents';
import { EndpointGate } from '../delivery/endpoint-gate';
import { EndpointHealth } from '../delivery/endpoint-health';
import { EndpointTokens, TokenUnavailableError } from '../delivery/oauth2/endpoint-tokens';
import { EndpointHealthStore } from '../retry-store/endpoint-health-store';
import { releaseEndpointState } from './release-endpoint-state';

const tenantId = 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0' as TenantId;
const endpointId = 'ep_01JABCDEFGHJKMNPQRSTVWXYZ1' as EndpointId;
const key = parseSealingKey(randomBytes(32).toString('hex'));
const sealed = () => sealSecret(generateHmacSecret(), key);

function stateWith(settings: Partial<EndpointSettingsV1>, secrets: SealedSecretV1[]): EndpointState {
  return evolveEndpoint(initialEndpointState(), {
    type: 'endpoint.created.v1',
    data: {
      endpoint_id: endpointId, status: 'enabled', secrets, url: 'https://example.com', description: '', event_types: null,
      channels: null, filter: null, headers: {}, rate_limit_per_second: null, max_in_flight: null, retry_schedule_seconds: null,
      fifo: false, metadata: {}, ...settings,
    },
  });
}

const signing = (value: string): SealedSecretV1 =>
  ({ secret_id: 'sec_1' as SecretId, kind: 'hmac', sealed: value, public_key: null, created_at: '2026-01-01T00:00:00.000Z', expires_at: null });
const oauth = (clientSecretSealed: string) => ({
  type: 'oauth2_client_credentials' as const, token_url: 'https://auth.example/token', client_id: 'hookline',
  client_secret_sealed: clientSecretSealed, scope: null, audience: null, client_auth: 'basic' as const,
});
const certificate = (keySealed: string) =>
  ({ cert_pem: 'cert', key_sealed: keySealed, fingerprint_sha256: 'fp', not_after: '2030-01-01T00:00:00.000Z' });

function setUp() {
  const secrets = new SigningSecrets(key);
  const gate = new EndpointGate(
    { endpointMaxInFlight: 4, inFlightRecheckMs: 100, breaker: { windowMs: 60_000, minVolume: 2, failureRatio: 0.5, openMs: 60_000 } },
    () => undefined,
  );
  const closed: string[] = [];
  const agents = new EndpointAgents({
    shared: {} as Dispatcher,
    open: (value) => secrets.open(value),
    withClientCertificate: ({ cert }) => ({ close: async () => void closed.push(cert), destroy: async () => undefined }) as unknown as Dispatcher,
  });
  const tokens = new EndpointTokens({
    agent: {} as Dispatcher, timeoutMs: 1000, userAgent: 'test',
    open: () => { throw new Error('sealed under another key'); },
  });
  const cleared: EndpointId[] = [];
  const store = {
    recordFailure: async (_t: TenantId, _e: EndpointId, at: Date) => at,
    clear: async (id: EndpointId) => void cleared.push(id),
    failingEndpoints: async () => [],
  } as unknown as EndpointHealthStore;
  const health = new EndpointHealth(store, 3600_000);
  const rowsForgotten: EndpointId[] = [];
  const rows = { forget: async (ids: EndpointId[]) => void rowsForgotten.push(...ids) };
  const deliveriesDropped: Array<[TenantId, EndpointId]> = [];
  const deliveries = { endpointDeleted: (t: TenantId, e: EndpointId) => void deliveriesDropped.push([t, e]) };
  const amqpForgotten: EndpointId[] = [];
  const amqp = { forget: (id: EndpointId) => void amqpForgotten.push(id) };
  const release = releaseEndpointState({ gate, agents, tokens, secrets, amqp, health, rows, deliveries, log: createLogger({ service: 'test', level: 'silent' }) });
  return { secrets, gate, agents, tokens, health, release, closed, cleared, rowsForgotten, deliveriesDropped, amqpForgotten };
}

describe('releasing what the dispatcher holds for an endpoint', () => {
  it('lets go of the breaker, own agent, token, opened secrets, failing run, other rows and waiting deliveries of a deleted endpoint', async () => {
    const { secrets, gate, agents, tokens, health, release, closed, cleared, rowsForgotten, deliveriesDropped } = setUp();
    const [signingSecret, clientSecret, certKey] = [sealed(), sealed(), sealed()];
    const state = stateWith({ auth: oauth(clientSecret), client_certificate: certificate(certKey) }, [signing(signingSecret)]);
    const known = { tenantId, state };

    // An attempt's worth of state: a breaker that opened, an agent with the certificate, a (failed) token, a failing run.
    for (let i = 0; i < 2; i++) {
      expect(gate.admit(known, 0)).toMatchObject({ ok: true });
      gate.finish(tenantId, endpointId, false, false, 0);
    }
    expect(gate.breakerStates()).toEqual([[endpointId, 'open']]);
    agents.for(endpointId, state.settings.client_certificate);
    await expect(tokens.authorization(endpointId, state.settings.auth as OAuth2ClientCredentialsV1)).rejects.toThrow(TokenUnavailableError);
    secrets.active(state, new Date());
    await health.failed(tenantId, endpointId, new Date(), 'HTTP 503');
    expect([agents.size, tokens.size, secrets.size]).toEqual([1, 1, 2]);

    release({ endpointId, tenantId, before: state, after: undefined });
    await new Promise((r) => setImmediate(r));
    expect(gate.breakerStates()).toEqual([]);
    expect([agents.size, tokens.size, secrets.size]).toEqual([0, 0, 0]);
    expect(closed).toEqual(['cert']);
    expect(cleared).toEqual([endpointId]);
    expect(rowsForgotten).toEqual([endpointId]);
    expect(deliveriesDropped).toEqual([[tenantId, endpointId]]);
    // An attempt that was still running when the endpoint went frees its slot without bringing the breaker back.
    gate.finish(tenantId, endpointId, false, false, 1);
    expect(gate.breakerStates()).toEqual([]);
  });

  it('forgets a replaced secret at once and keeps everything a still-live endpoint uses', async () => {
    const { secrets, gate, agents, release, cleared, rowsForgotten, deliveriesDropped } = setUp();
    const [oldSecret, newSecret, certKey] = [sealed(), sealed(), sealed()];
    const before = stateWith({ client_certificate: certificate(certKey) }, [signing(oldSecret)]);
    const after = stateWith({ client_certificate: certificate(certKey) }, [signing(newSecret)]);
    gate.admit({ tenantId, state: before }, 0);
    agents.for(endpointId, before.settings.client_certificate);
    secrets.active(before, new Date());
    secrets.active(after, new Date());
    expect(secrets.size).toBe(3);

    release({ endpointId, tenantId, before, after });
    expect(secrets.size).toBe(2); // the new signing secret and the certificate's key
    expect(gate.inFlight(endpointId)).toBe(1);
    expect(agents.size).toBe(1);
    expect(cleared).toEqual([]);
    expect(rowsForgotten).toEqual([]);
    expect(deliveriesDropped).toEqual([]);
  });

  it("lets go of the token and the own pool of an endpoint whose auth and client certificate were removed", async () => {
    const { agents, tokens, release, closed } = setUp();
    const before = stateWith({ auth: oauth(sealed()), client_certificate: certificate(sealed()) }, []);
    agents.for(endpointId, before.settings.client_certificate);
    await expect(tokens.authorization(endpointId, before.settings.auth as OAuth2ClientCredentialsV1)).rejects.toThrow(TokenUnavailableError);
    expect([agents.size, tokens.size]).toEqual([1, 1]);

    release({ endpointId, tenantId, before, after: stateWith({ auth: undefined, client_certificate: undefined }, []) });
    expect([agents.size, tokens.size]).toEqual([0, 0]);
    expect(closed).toEqual(['cert']);
  });

  it('lets go of the own https pool of an endpoint moved to a Kafka destination, whose producer presents the certificate instead', () => {
    const { agents, release, closed } = setUp();
    const cert = certificate(sealed());
    const before = stateWith({ client_certificate: cert }, []);
    agents.for(endpointId, cert);
    release({ endpointId, tenantId, before, after: stateWith({ url: 'kafka+tls://b.example.com:9093/orders', client_certificate: cert }, []) });
    expect(agents.size).toBe(0);
    expect(closed).toEqual(['cert']);
  });

  it("closes an AMQP destination's connection when the endpoint is deleted or its URL or login changes, not when something else does", () => {
    const { release, amqpForgotten } = setUp();
    const url = 'amqps://rabbit.example.com/orders?exchange=webhooks';
    const login = { type: 'amqp_plain' as const, username: 'hookline', password_sealed: sealed() };
    const before = stateWith({ url, auth: login }, []);
    release({ endpointId, tenantId, before, after: stateWith({ url, auth: login, description: 'renamed' }, []) });
    expect(amqpForgotten).toEqual([]);
    release({ endpointId, tenantId, before, after: stateWith({ url, auth: { ...login, password_sealed: sealed() } }, []) });
    release({ endpointId, tenantId, before, after: stateWith({ url: 'amqps://rabbit.example.com/orders?exchange=other', auth: login }, []) });
    release({ endpointId, tenantId, before, after: undefined });
    expect(amqpForgotten).toEqual([endpointId, endpointId, endpointId]);
    release({ endpointId, tenantId, before: stateWith({}, []), after: undefined });
    expect(amqpForgotten).toHaveLength(3);
  });
});
