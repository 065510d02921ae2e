import { randomBytes } from 'node:crypto';
import { openSecret, parseSealingKey } from '@hookline/signing';
import { CommandServiceHarness, Json, startCommandServiceHarness } from './test/command-service.harness';

jest.setTimeout(60_000);

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
  const restartWith = async (env: Record<string, string>) => {
    Object.assign(h.env, env);
    await h.restart();
  };
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
