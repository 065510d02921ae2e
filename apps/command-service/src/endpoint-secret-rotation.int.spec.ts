import { status as GrpcStatus } from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { generateHmacSecret, openSecret, parseSealingKey } from '@hookline/signing';
import { CommandServiceHarness, Json, startCommandServiceHarness } from './test/command-service.harness';

jest.setTimeout(60_000);

/**
 * Rotating an endpoint's signing secret with options (REST body, gRPC fields): bring the new whsec_ secret, move to
 * the other scheme, and choose how long the previous secrets keep signing (0 after a leak). The dispatcher signs with
 * every secret the events leave active (apps/dispatcher: webhooks carry one signature per active secret).
 */
describe('rotating an endpoint secret with options (real Kafka, real Postgres)', () => {
  const SEALING_KEY = randomBytes(32).toString('hex');
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('secret-rotation', { SECRETS_ENCRYPTION_KEY: SEALING_KEY, SECRET_ROTATION_GRACE_HOURS: '24' });
    ({ tenantId, key } = await h.tenantWithKey('rotating-secrets', ['invoice.paid']));
  });
  afterAll(async () => {
    await h?.close();
  });

  const createEndpoint = async () => {
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key, body: { url: 'http://127.0.0.1:9/hooks' } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const rotate = (endpointId: string, body?: Json) => h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpointId}/rotate-secret`, { key, body });
  const rotations = async (endpointId: string) =>
    (await h.events('config')).filter((r) => r.event.type === 'endpoint.secret_rotated.v1' && r.event.aggregate_id === endpointId).map((r) => r.event.data as Json);
  const secondsFromNow = (iso: string) => (Date.parse(iso) - Date.now()) / 1000;

  it('without a body: a new secret of the same scheme, the previous one signing for SECRET_ROTATION_GRACE_HOURS', async () => {
    const endpointId = await createEndpoint();
    const res = await rotate(endpointId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ secret: expect.stringMatching(/^whsec_/), public_key: null });
    expect(secondsFromNow(res.body.previous_secrets_expire_at)).toBeGreaterThan(24 * 3600 - 60);
    const [rotated] = await rotations(endpointId);
    expect(rotated).toMatchObject({ secret: { kind: 'hmac' }, previous_secrets_expire_at: res.body.previous_secrets_expire_at });
  });

  it('takes a brought whsec_ secret, and retires the previous ones at once with 0 (after a leak)', async () => {
    const endpointId = await createEndpoint();
    const brought = generateHmacSecret();
    const res = await rotate(endpointId, { secret: brought, previous_secrets_expire_in_seconds: 0 });
    expect(res.status).toBe(200);
    expect(res.body.secret).toBe(brought);
    expect(Math.abs(secondsFromNow(res.body.previous_secrets_expire_at))).toBeLessThan(10);
    const [rotated] = await rotations(endpointId);
    expect(openSecret(rotated.secret.sealed, parseSealingKey(SEALING_KEY))).toBe(brought);
    expect(rotated.previous_secrets_expire_at).toBe(res.body.previous_secrets_expire_at);
  });

  it('moves an HMAC endpoint to ed25519, both signing for the grace period asked for', async () => {
    const endpointId = await createEndpoint();
    const res = await rotate(endpointId, { signing: 'ed25519', previous_secrets_expire_in_seconds: 3600 });
    expect(res.status).toBe(200);
    expect(res.body.public_key).toEqual(expect.any(String));
    expect(res.body.secret).not.toMatch(/^whsec_/);
    expect(secondsFromNow(res.body.previous_secrets_expire_at)).toBeGreaterThan(3600 - 60);
    expect(secondsFromNow(res.body.previous_secrets_expire_at)).toBeLessThan(3600 + 60);
    const [rotated] = await rotations(endpointId);
    expect(rotated.secret).toMatchObject({ kind: 'ed25519', public_key: res.body.public_key });
    // The next rotation without options keeps the scheme the endpoint moved to.
    expect((await rotate(endpointId)).body.public_key).toEqual(expect.any(String));
  });

  it('refuses options it cannot carry out with a problem naming the field, and rotates nothing', async () => {
    const endpointId = await createEndpoint();
    for (const [body, pointer] of [
      [{ secret: generateHmacSecret(), signing: 'ed25519' }, '/secret'],
      [{ secret: 'whsec_tooshort' }, '/secret'],
      [{ signing: 'rsa' }, '/signing'],
      [{ previous_secrets_expire_in_seconds: -1 }, '/previous_secrets_expire_in_seconds'],
      [{ previous_secrets_expire_in_seconds: 31 * 24 * 3600 }, '/previous_secrets_expire_in_seconds'],
      [{ previous_secrets_expire_in_seconds: 1.5 }, '/previous_secrets_expire_in_seconds'],
    ] as const) {
      const res = await rotate(endpointId, body as Json);
      expect([JSON.stringify(body), res.status, res.headers.get('content-type'), res.body.errors?.[0]?.pointer])
        .toEqual([JSON.stringify(body), 400, expect.stringContaining('application/problem+json'), pointer]);
    }
    expect(await rotations(endpointId)).toEqual([]);
  });

  it('over gRPC: the same options, and INVALID_ARGUMENT for a scheme it does not know', async () => {
    const endpointId = await createEndpoint();
    const reply = await h.grpc('EndpointService', 'RotateSecret', { tenant_id: tenantId, endpoint_id: endpointId, signing: 'ed25519', previous_secrets_expire_in_seconds: 0 }, key);
    expect(reply).toMatchObject({ id: endpointId, public_key: expect.stringMatching(/.+/) });
    const [rotated] = await rotations(endpointId);
    expect(rotated.secret.kind).toBe('ed25519');
    expect(Math.abs(secondsFromNow(rotated.previous_secrets_expire_at))).toBeLessThan(10);
    // A call as older clients make it (EndpointRef's fields only): the defaults.
    const plain = await h.grpc('EndpointService', 'RotateSecret', { tenant_id: tenantId, endpoint_id: endpointId }, key);
    expect(plain).toMatchObject({ public_key: expect.stringMatching(/.+/) });
    expect(secondsFromNow((await rotations(endpointId))[1].previous_secrets_expire_at)).toBeGreaterThan(24 * 3600 - 60);
    await expect(h.grpc('EndpointService', 'RotateSecret', { tenant_id: tenantId, endpoint_id: endpointId, signing: 'rsa' }, key))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
  });
});
