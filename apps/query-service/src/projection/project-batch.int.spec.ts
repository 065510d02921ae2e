import { EndpointId, MessageId, TenantId, newId, topicNames } from '@hookline/contracts';
import { TestDatabase, createTestDatabase } from '@hookline/testing';
import { ReadModels } from '../database/read-models';
import { asRecord, fixtures } from '../testing/event-fixtures';
import { dumpGeneration } from '../testing/dump-tables';
import { applyEvents } from './apply-events';
import { decodeRecord } from './projected-record';
import { projectBatch, projectBatches } from './project-batch';

describe('projectBatch (real Postgres)', () => {
  let db: TestDatabase;
  let models: ReadModels;
  const topics = topicNames('unit-');
  const tenant = newId('tenant') as TenantId;
  const endpoint = newId('endpoint') as EndpointId;
  const message = newId('message') as MessageId;
  const t0 = Date.now() - 60_000;

  const configEvents = [fixtures.tenantCreated(tenant), fixtures.endpointCreated(tenant, endpoint), fixtures.eventTypeCreated(tenant, 'invoice.paid'),
    fixtures.endpointDisabled(tenant, endpoint, 2)];
  const published = fixtures.messagePublished(tenant, { messageId: message });
  const deliveryEvents = [
    fixtures.parked(tenant, message, endpoint, new Date(t0)),
    fixtures.attempted(tenant, message, endpoint, 1, 'retrying', { at: new Date(t0 + 1000), latencyMs: 30 }),
    fixtures.attempted(tenant, message, endpoint, 2, 'retrying', { at: new Date(t0 + 2000), latencyMs: 700 }),
    fixtures.deadLettered(tenant, message, endpoint, 2, new Date(t0 + 2000)),
  ];

  beforeAll(async () => {
    db = await createTestDatabase('projbatch');
    models = await ReadModels.open({ url: db.url, poolSize: 4 });
  });
  afterAll(async () => {
    await models.close();
    await db.drop();
  });

  async function projectAll(generation: number | 'active' = 'active') {
    await projectBatch(models, { topic: topics.config, partition: 0, records: configEvents.map(asRecord) }, { consumer: 'projector', generation });
    await projectBatch(models, { topic: topics.messages, partition: 1, records: [asRecord(published, 0)] },
      { consumer: 'projector', generation });
    return projectBatch(models, { topic: topics.deliveries, partition: 2, records: deliveryEvents.map(asRecord) }, { consumer: 'projector', generation });
  }

  it('the same batch applied twice changes nothing (stored offsets filter it)', async () => {
    const first = await projectAll();
    expect(first.applied).toBe(4);
    const before = await dumpGeneration(models.dataSource, 1);
    const second = await projectAll();
    expect(second).toMatchObject({ applied: 0, skipped: 4 });
    expect(await dumpGeneration(models.dataSource, 1)).toEqual(before);

    const [delivery] = await models.read((em) => em.query('SELECT status, attempt_count, last_status_code FROM deliveries'));
    expect(delivery).toEqual({ status: 'dead_lettered', attempt_count: 2, last_status_code: 503 });
    const [health] = await models.read((em) => em.query('SELECT attempts, successes, status_codes FROM endpoint_health'));
    expect(health).toEqual({ attempts: '2', successes: '0', status_codes: { '503': 2 } });
    const [ep] = await models.read((em) => em.query('SELECT status, disabled_reason, disabled_detail FROM endpoints'));
    expect(ep).toEqual({ status: 'disabled', disabled_reason: 'manual', disabled_detail: 'paused by test' });
  });

  it('the same events applied twice without the offset filter change nothing either (row guards)', async () => {
    const decoded = [...configEvents, ...deliveryEvents].map((e, i) => decodeRecord(topics.deliveries, 0, asRecord(e, i)))
      .map((r) => (r.ok ? r.record : fail(r.reason)));
    const before = await dumpGeneration(models.dataSource, 1);
    await models.write('active', (em) => applyEvents(em, decoded));
    await models.write('active', (em) => applyEvents(em, decoded));
    expect(await dumpGeneration(models.dataSource, 1)).toEqual(before);
  });

  it('batches of several partitions in one transaction give the same read models as one by one; a gap holds back only its partition', async () => {
    const other = await createTestDatabase('projbatchtogether');
    const together = await ReadModels.open({ url: other.url, poolSize: 2 });
    try {
      const outcomes = await projectBatches(together, [
        { batch: { topic: topics.config, partition: 0, records: configEvents.map(asRecord) } },
        { batch: { topic: topics.messages, partition: 1, records: [asRecord(published, 0)] } },
        { batch: { topic: topics.deliveries, partition: 2, records: deliveryEvents.map(asRecord) } },
        { batch: { topic: topics.deliveries, partition: 3, records: [asRecord(deliveryEvents[0], 7)] } },
      ], { consumer: 'projector', generation: 'active' });
      expect(outcomes.map((o) => [o.applied, o.seekTo, o.storedOffset])).toEqual([[4, null, '3'], [1, null, '0'], [4, null, '3'], [0, '0', null]]);
      const tables = (d: Record<string, unknown[]>) => Object.fromEntries(Object.entries(d).filter(([name]) => name !== 'projection_offsets'));
      expect(tables(await dumpGeneration(together.dataSource, 1))).toEqual(tables(await dumpGeneration(models.dataSource, 1)));

      // Two batches of one partition in one call: applied in order, in successive transactions.
      const again = await projectBatches(together, [
        { batch: { topic: topics.deliveries, partition: 3, records: [asRecord(deliveryEvents[0], 0)] } },
        { batch: { topic: topics.deliveries, partition: 3, records: [asRecord(deliveryEvents[0], 0), asRecord(deliveryEvents[1], 1)] } },
      ], { consumer: 'projector', generation: 'active' });
      expect(again.map((o) => [o.applied, o.skipped, o.storedOffset])).toEqual([[1, 0, '0'], [1, 1, '1']]);
    } finally {
      await together.close();
      await other.drop();
    }
  });

  /** Every statement the read models' connections run during `fn`, whatever issues it. */
  async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner') as {
      PostgresQueryRunner: { prototype: { query(...args: unknown[]): Promise<unknown> } };
    };
    const original = PostgresQueryRunner.prototype.query;
    const statements: string[] = [];
    const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (this: unknown, ...args: unknown[]) {
      statements.push(String(args[0]).replace(/\s+/g, ' ').trim());
      return original.apply(this, args);
    });
    try {
      await fn();
    } finally {
      spy.mockRestore();
    }
    return statements;
  }
  const isBookkeeping = (q: string) => !/projection_offsets|^INSERT INTO (messages|attempts|deliveries|endpoint_health)|^WITH|^UPDATE/.test(q);

  it('spends three round trips of a batch transaction on bookkeeping: begin (with its isolation level), the generation, commit', async () => {
    const statements = await statementsOf(() =>
      projectBatch(models, { topic: topics.deliveries, partition: 9, records: [asRecord(deliveryEvents[1], 0)] }, { consumer: 'projector', generation: 'active' }));
    expect(statements.filter(isBookkeeping).map((q) => q.slice(0, 40))).toEqual([
      'START TRANSACTION ISOLATION LEVEL READ C',
      "SELECT generation, set_config('search_pa",
      'COMMIT',
    ]);
    expect(statements.filter((q) => q.includes('projection_offsets'))).toHaveLength(2);
  });

  it('spends two on a rebuild\'s batch: the generation is set with the begin', async () => {
    await models.prepareGeneration(7, true);
    const statements = await statementsOf(() =>
      projectBatch(models, { topic: topics.deliveries, partition: 9, records: [asRecord(deliveryEvents[1], 0)] }, { consumer: 'projector', generation: 7 }));
    expect(statements.filter(isBookkeeping)).toEqual([
      'START TRANSACTION ISOLATION LEVEL READ COMMITTED; SET LOCAL search_path TO query_g7; SET LOCAL synchronous_commit TO off',
      'COMMIT',
    ]);
    await models.dropGeneration(7);
  });

  it('updates endpoint health after every other read model of the batch, so the row lock other transactions queue on is held briefly', async () => {
    const next = newId('message') as MessageId;
    const records = [
      fixtures.messagePublished(tenant, { messageId: next }),
      fixtures.attempted(tenant, next, endpoint, 1, 'retrying', { at: new Date(t0 + 3000), latencyMs: 40 }),
      fixtures.deadLettered(tenant, next, endpoint, 1, new Date(t0 + 3000)),
    ].map(asRecord);
    const statements = await statementsOf(() =>
      projectBatch(models, { topic: topics.deliveries, partition: 10, records }, { consumer: 'projector', generation: 'active' }));
    const first = (table: string) => statements.findIndex((q) => q.startsWith(`INSERT INTO ${table} `));
    const health = first('endpoint_health');
    expect(health).toBeGreaterThan(0);
    for (const table of ['messages', 'attempts', 'deliveries', 'dead_letters']) {
      expect({ table, before: first(table) >= 0 && first(table) < health }).toEqual({ table, before: true });
    }
    expect(statements.slice(health + 1).filter((q) => q.startsWith('INSERT INTO') && !q.startsWith('INSERT INTO projection_offsets'))).toEqual([]);
    const [h] = await models.read((em) => em.query('SELECT attempts FROM endpoint_health WHERE endpoint_id = $1', [endpoint]));
    expect(Number(h.attempts)).toBeGreaterThan(0);
  });

  it('projects text Postgres cannot hold (U+0000 or a lone surrogate, say in a receiver\'s response body) with U+FFFD in its place instead of failing the batch forever', async () => {
    const other = newId('message') as MessageId;
    const event = fixtures.attempted(tenant, other, endpoint, 1, 'retrying', { at: new Date(t0 + 5000) });
    const data = event.data as { response: { body: string; headers: Record<string, string> }; error: { message: string } };
    data.response.body = 'bad\u0000body\ud800, and a literal backslash-u: \\u0000';
    data.response.headers['x-odd'] = 'nul\u0000here';
    data.error.message = 'HTTP 503\u0000';
    const outcome = await projectBatch(models, { topic: topics.deliveries, partition: 8, records: [asRecord(event, 0)] },
      { consumer: 'projector', generation: 'active' });
    expect(outcome).toMatchObject({ applied: 1, storedOffset: '0' });
    const [row] = await models.read((em) => em.query('SELECT response_body, response_headers, error_message FROM attempts WHERE message_id = $1', [other]));
    expect(row).toEqual({ response_body: 'bad\ufffdbody\ufffd, and a literal backslash-u: \\u0000', response_headers: { 'content-type': 'text/plain', 'x-odd': 'nul\ufffdhere' },
      error_message: 'HTTP 503\ufffd' });
    const [delivery] = await models.read((em) => em.query('SELECT last_error FROM deliveries WHERE message_id = $1', [other]));
    expect(delivery.last_error).toBe('http_status: HTTP 503\ufffd');
  });

  it('asks for a seek instead of applying a batch that starts after a gap', async () => {
    const outcome = await projectBatch(models, { topic: topics.deliveries, partition: 2, records: [asRecord(deliveryEvents[0], 10)] },
      { consumer: 'projector', generation: 'active' });
    expect(outcome).toMatchObject({ applied: 0, seekTo: '4' });
  });
});
