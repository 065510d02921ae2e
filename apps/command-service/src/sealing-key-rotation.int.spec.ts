import { status as GrpcStatus } from '@grpc/grpc-js';
import { createHmac, randomBytes } from 'node:crypto';
import { decodePosition } from '@hookline/contracts';
import { openSecret, parseSealingKey } from '@hookline/signing';
import { createTestPki } from '@hookline/testing';
import { CommandServiceHarness, Json, startCommandServiceHarness } from './test/command-service.harness';

jest.setTimeout(60_000);

/** Restarts the service with these variables changed, as an operator rotating the key does. */
async function restartWithEnv(h: CommandServiceHarness, env: Record<string, string>): Promise<void> {
  Object.assign(h.env, env);
  await h.restart();
}

/**
 * Rotating SECRETS_ENCRYPTION_KEY: the new key seals from the restart on, and the old one, moved to
 * SECRETS_ENCRYPTION_PREVIOUS_KEYS, still opens what it sealed (here: a config command's kept answer, which holds the
 * endpoint's secret shown once).
 */
describe('rotating the sealing key of the command service (real Kafka, real Postgres)', () => {
  const OLD = randomBytes(32).toString('hex');
  const NEW = randomBytes(32).toString('base64');
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('key-rotation', { SECRETS_ENCRYPTION_KEY: OLD });
    ({ tenantId, key } = await h.tenantWithKey('rotating', ['invoice.paid']));
  });
  afterAll(async () => {
    await h?.close();
  });

  const createEndpoint = (idempotencyKey: string) =>
    h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key, body: { url: 'http://127.0.0.1:9/hooks', event_types: ['invoice.paid'] }, headers: { 'idempotency-key': idempotencyKey } });
  const restartWith = (env: Record<string, string>) => restartWithEnv(h, env);
  const sealedSecretOf = async (endpointId: string): Promise<string> => {
    const created = (await h.events('config')).find((r) => r.event.type === 'endpoint.created.v1' && r.event.aggregate_id === endpointId);
    return (created!.event.data as Json).secrets[0].sealed;
  };

  it('seals under the new key after the restart, and answers a retry kept under the old one while it is a previous key', async () => {
    const before = await createEndpoint('before-rotation');
    expect(before.status).toBe(201);

    await restartWith({ SECRETS_ENCRYPTION_KEY: NEW, SECRETS_ENCRYPTION_PREVIOUS_KEYS: OLD });
    const replayed = await createEndpoint('before-rotation');
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toEqual(before.body);

    // What is sealed now opens with the new key alone; what was sealed before, with the old one.
    const after = await createEndpoint('after-rotation');
    expect(after.status).toBe(201);
    const sealedAfter = await sealedSecretOf(after.body.id);
    expect(openSecret(sealedAfter, parseSealingKey(NEW))).toBe(after.body.secret);
    expect(() => openSecret(sealedAfter, parseSealingKey(OLD))).toThrow();
    expect(openSecret(await sealedSecretOf(before.body.id), parseSealingKey(OLD))).toBe(before.body.secret);

    // Without the previous key the old answer cannot be opened: the retry is told so, with the header named.
    await restartWith({ SECRETS_ENCRYPTION_PREVIOUS_KEYS: '' });
    const unreadable = await createEndpoint('before-rotation');
    expect(unreadable.status).toBe(422);
    expect(unreadable.body).toMatchObject({ type: 'https://hookline.dev/problems/idempotency-conflict', detail: expect.stringMatching(/SECRETS_ENCRYPTION_PREVIOUS_KEYS/) });
    expect((await createEndpoint('after-rotation')).body).toEqual(after.body);
  });
});

/**
 * Retiring the old key: POST /v1/sealing-key/reseal seals every value endpoints still use again under the current
 * key, so the previous key can be dropped without endpoints changing their secrets.
 */
describe('sealing endpoint values again under the current key (real Kafka, real Postgres)', () => {
  const [K0, K1, K2] = [randomBytes(32).toString('hex'), randomBytes(32).toString('hex'), randomBytes(32).toString('hex')];
  const pki = createTestPki();
  const certificate = pki.client('acme-hookline');
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('reseal', { SECRETS_ENCRYPTION_KEY: K0 });
    ({ tenantId, key } = await h.tenantWithKey('resealing', ['invoice.paid']));
  });
  afterAll(async () => {
    await h?.close();
  });

  const createEndpoint = async (body: Json) => {
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key, body: { event_types: ['invoice.paid'], ...body } });
    expect(created.status).toBe(201);
    return created.body;
  };
  const restartWith = (env: Record<string, string>) => restartWithEnv(h, env);
  const reseal = (apiKey?: string) => h.rest('POST', '/v1/sealing-key/reseal', { key: apiKey });
  const resealedEvents = async () => (await h.events('config')).filter((r) => r.event.type === 'endpoint.resealed.v1');
  /** Every sealed value each endpoint of the write model holds now (signing secrets, client secret or SASL password, certificate key). */
  const heldValues = async () => {
    const rows = (await h.sql<{ aggregate_id: string; state: Json }>(`SELECT aggregate_id, state FROM command.aggregates WHERE kind = 'endpoint'`)).rows;
    return new Map(rows.map((r) => [r.aggregate_id, [
      ...r.state.secrets.map((s: Json) => s.sealed),
      ...(r.state.settings.auth ? [r.state.settings.auth.client_secret_sealed ?? r.state.settings.auth.password_sealed] : []),
      ...(r.state.settings.client_certificate ? [r.state.settings.client_certificate.key_sealed] : []),
    ] as string[]]));
  };

  const createSource = async (name: string, verification: Json, more: Json = {}) => {
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/sources`, { key, body: { name, verification, event_type: { from: 'fixed', event_type: 'invoice.paid' }, ...more } });
    expect(created.status).toBe(201);
    return created.body;
  };
  const NO_SOURCES = { sources_checked: 0, sources_resealed: 0, unopenable_sources: [] };

  it('reseals what previous keys sealed, endpoint by endpoint, reports what no key opens, and has nothing left to do the second time', async () => {
    const lost = await createEndpoint({ url: 'http://127.0.0.1:9/lost' });

    await restartWith({ SECRETS_ENCRYPTION_KEY: K1 });
    const withCredentials = await createEndpoint({
      url: 'https://hooks.acme.example/in', client_certificate: certificate,
      auth: { type: 'oauth2_client_credentials', token_url: 'https://idp.acme.example/token', client_id: 'hookline', client_secret: 'client-s3cret' },
    });
    const rotated = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${withCredentials.id}/rotate-secret`, { key });
    expect(rotated.status).toBe(200);
    const plain = await createEndpoint({ url: 'http://127.0.0.1:9/plain' });
    const sasl = await createEndpoint({
      url: 'kafka+tls://b-1.kafka.acme.example:9094/hookline-events',
      auth: { type: 'kafka_sasl', mechanism: 'scram-sha-256', username: 'hookline', password: 'sasl-s3cret' },
    });

    // K0 is left out on purpose: the endpoint it sealed for cannot be opened any more.
    await restartWith({ SECRETS_ENCRYPTION_KEY: K2, SECRETS_ENCRYPTION_PREVIOUS_KEYS: K1 });
    const current = await createEndpoint({ url: 'http://127.0.0.1:9/current' });

    expect((await reseal(key)).status).toBe(403);
    const report = await reseal();
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      endpoints_checked: 5, endpoints_resealed: 3, unopenable: [{ tenant_id: tenantId, endpoint_id: lost.id }], position: expect.any(String), ...NO_SOURCES,
    });

    // One event per endpoint resealed, naming every value it sealed again: both secrets of the rotated endpoint (the
    // rotated-out one still signs during its grace), its client secret and its certificate's key; a Kafka destination's
    // SASL password.
    const events = await resealedEvents();
    expect(events.map((r) => r.event.aggregate_id).sort()).toEqual([withCredentials.id, plain.id, sasl.id].sort());
    // The position covers them: one tenant, so one partition, at the last of them.
    const last = events.reduce((a, b) => (BigInt(a.offset) > BigInt(b.offset) ? a : b));
    expect(decodePosition(report.body.position)).toEqual([{ topic: h.topics.config, partition: last.partition, offset: last.offset }]);
    const k2 = parseSealingKey(K2);
    const ofCredentials = events.find((r) => r.event.aggregate_id === withCredentials.id)!.event.data as Json;
    expect(ofCredentials.secrets).toHaveLength(2);
    expect(ofCredentials.secrets.map((s: Json) => openSecret(s.sealed, k2))).toEqual([withCredentials.secret, rotated.body.secret]);
    expect(openSecret(ofCredentials.auth_client_secret_sealed, k2)).toBe('client-s3cret');
    expect(openSecret(ofCredentials.client_certificate_key_sealed, k2)).toBe(certificate.key);
    const ofSasl = events.find((r) => r.event.aggregate_id === sasl.id)!.event.data as Json;
    expect(openSecret(ofSasl.auth_password_sealed, k2)).toBe('sasl-s3cret');
    expect(ofSasl.auth_client_secret_sealed).toBeUndefined();

    // The write model now holds nothing the current key alone cannot open, except what no key could.
    const held = await heldValues();
    for (const id of [withCredentials.id, plain.id, sasl.id, current.id]) {
      for (const sealed of held.get(id)!) expect(() => openSecret(sealed, k2)).not.toThrow();
    }
    expect(openSecret(held.get(plain.id)![0], k2)).toBe(plain.secret);

    const again = await reseal();
    expect(again.body).toEqual({ endpoints_checked: 5, endpoints_resealed: 0, unopenable: [{ tenant_id: tenantId, endpoint_id: lost.id }], position: null, ...NO_SOURCES });
    expect(await resealedEvents()).toHaveLength(3);

    // The same over gRPC, for admin keys only.
    await expect(h.grpc('SealingKeyService', 'ResealSealedValues', {}, key)).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    expect(await h.grpc('SealingKeyService', 'ResealSealedValues', {})).toEqual({
      endpoints_checked: 5, endpoints_resealed: 0, unopenable: [{ tenant_id: tenantId, endpoint_id: lost.id }], position: null, ...NO_SOURCES,
    });
  });

  it('reseals HTTP sources\' secrets and Meta verify tokens too (source.updated.v1), and their webhooks and handshakes still verify', async () => {
    const [S0, S1, S2] = [randomBytes(32).toString('hex'), randomBytes(32).toString('hex'), randomBytes(32).toString('hex')];
    await restartWith({ SECRETS_ENCRYPTION_KEY: S0, SECRETS_ENCRYPTION_PREVIOUS_KEYS: '' });
    const lost = await createSource('lost', { type: 'api_key', header: 'x-key', key: 'k' });
    await restartWith({ SECRETS_ENCRYPTION_KEY: S1 });
    const github = await createSource('GitHub', { type: 'github', secret: 'gh-s3cret' });
    // Nothing to verify a POST with, but Meta's verify token to check its GET with.
    const unsigned = await createSource('open', { type: 'none' }, { handshake: { type: 'meta', verify_token: 'meta-vt' } });
    const basic = await createSource('basic', { type: 'basic_auth', username: 'acme', password: 'pa55' });
    await restartWith({ SECRETS_ENCRYPTION_KEY: S2, SECRETS_ENCRYPTION_PREVIOUS_KEYS: S1 });

    const report = await reseal();
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      sources_checked: 4, sources_resealed: 3, unopenable_sources: [{ tenant_id: tenantId, source_id: lost.id }], position: expect.any(String),
    });
    const updates = (await h.events('config')).filter((r) => r.event.type === 'source.updated.v1');
    expect(updates.map((r) => r.event.aggregate_id).sort()).toEqual([github.id, basic.id, unsigned.id].sort());
    const ofMeta = updates.find((r) => r.event.aggregate_id === unsigned.id)!.event.data as Json;
    expect(ofMeta.verification).toBeUndefined();
    expect(openSecret(ofMeta.handshake.verify_token_sealed, parseSealingKey(S2))).toBe('meta-vt');
    const s2 = parseSealingKey(S2);
    const ofGithub = (updates.find((r) => r.event.aggregate_id === github.id)!.event.data as Json).verification;
    expect(ofGithub).toMatchObject({ type: 'hmac', header: 'x-hub-signature-256', prefix: 'sha256=' });
    expect(openSecret(ofGithub.secret_sealed, s2)).toBe('gh-s3cret');
    expect(openSecret((updates.find((r) => r.event.aggregate_id === basic.id)!.event.data as Json).verification.password_sealed, s2)).toBe('pa55');
    expect(unsigned.verification).toEqual({ type: 'none' });

    // Without the previous key, the resealed source still verifies its provider's webhooks.
    await restartWith({ SECRETS_ENCRYPTION_PREVIOUS_KEYS: '' });
    const body = '{"action":"opened"}';
    const webhook = await h.rest('POST', `/ingest/${github.id}`, {
      key: null, raw: body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', 'gh-s3cret').update(body).digest('hex')}` },
    });
    expect(webhook.status).toBe(202);
    const verify = await h.rest('GET', `/ingest/${unsigned.id}?hub.mode=subscribe&hub.verify_token=meta-vt&hub.challenge=8841`, { key: null });
    expect([verify.status, verify.text]).toEqual([200, '8841']);
    expect((await reseal()).body).toMatchObject({ sources_checked: 4, sources_resealed: 0, unopenable_sources: [{ tenant_id: tenantId, source_id: lost.id }] });
  });
});
