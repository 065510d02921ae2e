import { status as GrpcStatus } from '@grpc/grpc-js';
import { startCommitDroppingProxy } from './test/commit-dropping-proxy';
import { CommandServiceHarness, GrpcError, Json, startCommandServiceHarness } from './test/command-service.harness';

jest.setTimeout(60_000);

/**
 * Idempotency-Key on config commands: a client whose answer was lost (a timeout, a dropped connection, a crash of
 * its own) sends the request again with the same key and must get the first answer, not a second endpoint, API key
 * or secret rotation.
 */
describe('Idempotency-Key on config commands (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let tenantKey: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('cfg-idem');
    ({ tenantId, key: tenantKey } = await h.tenantWithKey('idempotent', ['invoice.paid']));
  });
  afterAll(async () => {
    await h?.close();
  });

  const createEndpoint = (idempotencyKey: string, url = 'http://127.0.0.1:9/hooks', baseUrl?: string) =>
    h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key: tenantKey, body: { url, event_types: ['invoice.paid'] }, headers: { 'idempotency-key': idempotencyKey }, baseUrl });

  /** Endpoints of the tenant created on the config topic (what every consumer sees), by id. */
  const endpointsCreated = async () => (await h.events('config')).filter((r) => r.event.type === 'endpoint.created.v1' && r.event.tenant_id === tenantId).map((r) => r.event.aggregate_id);

  it('answers a retried endpoint creation with the first answer, the same secret and position, and creates one endpoint', async () => {
    const before = (await endpointsCreated()).length;
    const first = await createEndpoint('create-ep-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await createEndpoint('create-ep-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // Everything, including the signing secret shown once and the position token a read-your-writes client waits for.
    expect(again.body).toEqual(first.body);
    expect(first.body.secret).toMatch(/^whsec_/);

    // The same request serialised by another client library (keys in another order) is still the same request.
    const reordered = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, {
      key: tenantKey,
      raw: `{"event_types":["invoice.paid"],"url":"http://127.0.0.1:9/hooks"}`,
      headers: { 'idempotency-key': 'create-ep-1', 'content-type': 'application/json' },
    });
    expect(reordered.body).toEqual(first.body);

    const created = await endpointsCreated();
    expect(created.length - before).toBe(1);
    expect(created).toContain(first.body.id);
  });

  it('keeps the answer sealed: the secret it holds is not in Postgres in plain text', async () => {
    const answer = await createEndpoint('sealed-1');
    const rows = await h.sql(`SELECT sealed_answer::text AS a FROM command.idempotency_keys WHERE tenant_id = $1 AND key = 'sealed-1'`, [tenantId]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].a).toMatch(/^enc:v1:/);
    expect(rows.rows[0].a).not.toContain(answer.body.secret);
    expect(rows.rows[0].a).not.toContain(answer.body.id);
  });

  it('refuses the same key for another request with a problem naming the header, and carries nothing out', async () => {
    const before = (await endpointsCreated()).length;
    expect((await createEndpoint('reused-1', 'http://127.0.0.1:9/a')).status).toBe(201);
    const other = await createEndpoint('reused-1', 'http://127.0.0.1:9/b');
    expect(other.status).toBe(422);
    expect(other.contentType).toContain('application/problem+json');
    expect(other.body).toMatchObject({ type: expect.stringContaining('idempotency'), errors: [{ pointer: 'Idempotency-Key' }] });
    expect((await endpointsCreated()).length - before).toBe(1);

    // A key is one request whatever it was: one that published a message can't create an endpoint.
    const published = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key: tenantKey, body: { event_type: 'invoice.paid', payload: {} }, headers: { 'idempotency-key': 'msg-then-ep' } });
    expect(published.status).toBe(202);
    expect((await createEndpoint('msg-then-ep')).status).toBe(422);
  });

  it('lets concurrent retries with one key, to two instances of the service, create exactly one endpoint, each answered with it', async () => {
    const peer = await h.startPeer();
    const before = (await endpointsCreated()).length;
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => createEndpoint('concurrent-1', undefined, i % 2 ? peer.baseUrl : undefined)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.secret)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(5);
    expect((await endpointsCreated()).length - before).toBe(1);
    await peer.stop();
  });

  it('does not take the key when the command is refused, so the corrected request goes through under it', async () => {
    const refused = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, {
      key: tenantKey,
      body: { url: 'http://127.0.0.1:9/x', event_types: ['no.such.type'] },
      headers: { 'idempotency-key': 'fix-and-retry' },
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    const corrected = await createEndpoint('fix-and-retry');
    expect(corrected.status).toBe(201);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
  });

  it('takes the key, the answer and the events in one transaction: when the events cannot be written, nothing is kept', async () => {
    // The outbox refuses rows (as a full disk or a failover would fail the commit): the command must fail whole.
    await h.sql(`CREATE FUNCTION command.refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox refused by test'; END $$`);
    await h.sql(`CREATE TRIGGER refuse_outbox BEFORE INSERT ON command.outbox FOR EACH ROW EXECUTE FUNCTION command.refuse_outbox()`);
    const endpointRows = async () => Number((await h.sql(`SELECT count(*) AS n FROM command.aggregates WHERE tenant_id = $1 AND kind = 'endpoint'`, [tenantId])).rows[0].n);
    const before = await endpointRows();
    let failed;
    try {
      failed = await createEndpoint('atomic-1');
    } finally {
      await h.sql(`DROP TRIGGER refuse_outbox ON command.outbox`);
      await h.sql(`DROP FUNCTION command.refuse_outbox()`);
    }
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect((await h.sql(`SELECT 1 FROM command.idempotency_keys WHERE tenant_id = $1 AND key = 'atomic-1'`, [tenantId])).rowCount).toBe(0);
    expect(await endpointRows()).toBe(before);

    const retried = await createEndpoint('atomic-1');
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers a retried secret rotation with the same new secret, and rotates once', async () => {
    const endpoint = (await createEndpoint('rotate-target')).body;
    const rotate = () => h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpoint.id}/rotate-secret`, { key: tenantKey, headers: { 'idempotency-key': 'rotate-1' } });
    const first = await rotate();
    expect(first.status).toBe(200);
    const again = await rotate();
    expect(again.body).toEqual(first.body);
    expect(first.body.secret).not.toBe(endpoint.secret);
    const rotations = (await h.events('config')).filter((r) => r.event.type === 'endpoint.secret_rotated.v1' && r.event.aggregate_id === endpoint.id);
    expect(rotations).toHaveLength(1);
  });

  it('answers a retried API key creation with the same key, which works', async () => {
    const create = () => h.rest('POST', '/v1/api-keys', { body: { name: 'ci', scope: 'tenant', tenant_id: tenantId }, headers: { 'idempotency-key': 'apikey-1' } });
    const first = await create();
    const again = await create();
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const created = (await h.events('config')).filter((r) => r.event.type === 'api_key.created.v1' && r.event.aggregate_id === first.body.id);
    expect(created).toHaveLength(1);
    expect((await h.rest('POST', `/v1/tenants/${tenantId}/event-types`, { key: again.body.key, body: { name: 'key.works' } })).status).toBe(201);
  });

  it('keeps each tenant\'s keys apart: the same key in another tenant is another request', async () => {
    const { tenantId: other, key: otherKey } = await h.tenantWithKey('other');
    const mine = await createEndpoint('shared-name');
    const theirs = await h.rest('POST', `/v1/tenants/${other}/endpoints`, { key: otherKey, body: { url: 'http://127.0.0.1:9/hooks' }, headers: { 'idempotency-key': 'shared-name' } });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('gRPC: takes the key as idempotency-key metadata, marks a replay in the reply metadata, and refuses a malformed one with INVALID_ARGUMENT', async () => {
    const call = (key: string) =>
      h.grpcCall('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'http://127.0.0.1:9/grpc', event_types: ['invoice.paid'] }, tenantKey, { 'idempotency-key': key });
    const first = await call('grpc-1');
    const again = await call('grpc-1');
    expect(again.reply).toEqual(first.reply);
    expect(first.reply.id).toMatch(/^ep_/);
    expect(first.metadata.get('idempotent-replayed')).toEqual([]);
    expect(again.metadata.get('idempotent-replayed')).toEqual(['true']);
    const err = (await call('k'.repeat(256)).catch((e: GrpcError) => e)) as GrpcError;
    expect(err.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(err.details).toContain('Idempotency-Key');
  });

  it('keeps sent outbox rows as long as a key can replay their position, and no longer', async () => {
    const kept = await createEndpoint('outbox-kept');
    const aged = await createEndpoint('outbox-aged');
    const seqsOf = async (key: string) =>
      (await h.sql(`SELECT outbox_seqs::text[] AS s FROM command.idempotency_keys WHERE tenant_id = $1 AND key = $2`, [tenantId, key])).rows[0].s as string[];
    const agedSeqs = await seqsOf('outbox-aged');
    const keptSeqs = await seqsOf('outbox-kept');
    await h.sql(`UPDATE command.outbox SET sent_at = now() - interval '25 hours' WHERE seq = ANY($1::bigint[])`, [agedSeqs]);

    expect(await h.running.infra.relay.purgeSent(24)).toBeGreaterThanOrEqual(agedSeqs.length);
    const left = async (seqs: string[]) => (await h.sql(`SELECT 1 FROM command.outbox WHERE seq = ANY($1::bigint[])`, [seqs])).rowCount;
    expect(await left(agedSeqs)).toBe(0);
    expect(await left(keptSeqs)).toBe(keptSeqs.length);
    // Were a replay ever to outlive its rows, it answers without a position instead of waiting for them.
    const replayed = await createEndpoint('outbox-aged');
    expect(replayed.body).toEqual({ ...aged.body, position: null });
    expect((await createEndpoint('outbox-kept')).body).toEqual(kept.body);
  });

  it('answers a retried resend and recover with the first answer, and asks the dispatcher once each', async () => {
    const endpoint = (await createEndpoint('resend-target')).body;
    const published = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key: tenantKey, body: { event_type: 'invoice.paid', payload: { n: 1 } } });
    await h.followerCaughtUp();
    const resend = () =>
      h.rest('POST', `/v1/tenants/${tenantId}/messages/${published.body.id}/resend`, { key: tenantKey, body: { endpoint_id: endpoint.id }, headers: { 'idempotency-key': 'resend-1' } });
    const firstResend = await resend();
    expect(firstResend.status).toBeLessThan(300);
    const againResend = await resend();
    expect(againResend.body).toEqual(firstResend.body);
    expect(againResend.headers.get('idempotent-replayed')).toBe('true');

    // No `until`: the window ends at the first request's now, and the retry must not move it.
    const recover = () =>
      h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpoint.id}/recover`, { key: tenantKey, body: { since: new Date(Date.now() - 3600_000).toISOString().slice(0, 16) + ':00.000Z' }, headers: { 'idempotency-key': 'recover-1' } });
    const firstRecover = await recover();
    expect(firstRecover.status).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 20));
    const againRecover = await recover();
    expect(againRecover.body).toEqual(firstRecover.body);

    const onMessages = await h.events('messages');
    expect(onMessages.filter((r) => r.event.type === 'message.resend_requested.v1' && (r.event.data as Json).message_id === published.body.id)).toHaveLength(1);
    expect(onMessages.filter((r) => r.event.type === 'endpoint.recovery_requested.v1' && (r.event.data as Json).endpoint_id === endpoint.id)).toHaveLength(1);
  });

  it('documents the header on every command in the OpenAPI document', async () => {
    const doc = (await h.rest('GET', '/openapi.json', { key: null })).body;
    type Operation = { parameters?: Array<{ name: string; in: string }>; 'x-hookline-not-a-command'?: boolean };
    const writes = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([method]) => method !== 'get').map(([method, op]) => ({
        at: `${method} ${path}`, command: !op['x-hookline-not-a-command'], key: op.parameters?.filter((p) => p.name === 'Idempotency-Key' && p.in === 'header').length ?? 0,
      })),
    );
    expect(writes.length).toBeGreaterThan(15);
    expect(writes.filter((w) => w.key !== (w.command ? 1 : 0))).toEqual([]);
    // Changing nothing, a preview has nothing to answer twice; a provider's webhook is told apart by its source's setting.
    expect(writes.filter((w) => !w.command).map((w) => w.at).sort()).toEqual(['post /ingest/{sourceId}', 'post /v1/tenants/{tenantId}/transformations/preview']);
  });

  it('answers the retry with the first answer when the connection dropped just after the command committed', async () => {
    // What a Postgres failover at the wrong moment does: the endpoint is committed, the client gets a 503.
    const db = new URL(h.env.DATABASE_URL);
    const proxy = await startCommitDroppingProxy({ host: db.hostname, port: Number(db.port || 5432) });
    const direct = h.env.DATABASE_URL;
    h.env.DATABASE_URL = proxy.urlFor(direct);
    await h.restart();
    try {
      const before = (await endpointsCreated()).length;
      proxy.armFor('INSERT INTO outbox');
      const first = await createEndpoint('dropped-commit', 'http://127.0.0.1:9/dropped');
      expect(proxy.dropped).toBe(1);
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('1');
      const committed = await h.sql(`SELECT aggregate_id FROM command.aggregates WHERE tenant_id = $1 AND kind = 'endpoint' AND state->'settings'->>'url' = 'http://127.0.0.1:9/dropped'`, [tenantId]);
      expect(committed.rows).toHaveLength(1);

      const retried = await createEndpoint('dropped-commit', 'http://127.0.0.1:9/dropped');
      expect(retried.status).toBe(201);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(retried.body.id).toBe(committed.rows[0].aggregate_id);
      expect((await endpointsCreated()).length - before).toBe(1);
    } finally {
      h.env.DATABASE_URL = direct;
      await h.restart();
      await proxy.close();
    }
  });

  it('REST: refuses a malformed key with a problem naming the header', async () => {
    const answer = await createEndpoint('x'.repeat(256));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ pointer: 'Idempotency-Key', detail: 'malformed' }]);
  });
});
