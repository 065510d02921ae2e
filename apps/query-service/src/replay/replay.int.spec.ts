import { SourceId, newId } from '@hookline/contracts';
import { createLogger } from '@hookline/observability';
import { PROJECTOR_NAME } from '../projection/projector-name';
import { RunningQueryService } from '../query-service';
import { ADMIN_KEY, TestStack, getJson } from '../testing/harness';
import { dumpGeneration } from '../testing/dump-tables';
import { fixtures } from '../testing/event-fixtures';
import { waitCaughtUp } from '../testing/wait-caught-up';
import { workload } from '../testing/workload';
import { rebuildReadModels } from './replay-runner';

describe('rebuilding the read models from the log (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  const log = createLogger({ service: 'replay-test', level: 'warn' });

  beforeAll(async () => {
    stack = await TestStack.create('replay');
    ({ service, baseUrl } = await stack.startService());
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const rebuild = (consumers: number) => rebuildReadModels({ kafka: stack.kafka, models: service.models, topics: stack.topics,
    consumerName: PROJECTOR_NAME, groupIdPrefix: `${stack.prefix}projector`, consumers, log });

  it('rebuilds every table identically with two consumers sharing the partitions, and switches while the service keeps answering', async () => {
    const first = workload(4, 150);
    const tenant = first.events[0].tenant_id;
    // HTTP sources too: one created and updated, one created and deleted (its row goes, its state stays in config_states).
    const [kept, removed] = [newId('source') as SourceId, newId('source') as SourceId];
    await stack.publish([...first.events, fixtures.sourceCreated(tenant, kept), fixtures.sourceUpdated(tenant, kept, 2, { enabled: false }),
      fixtures.sourceCreated(tenant, removed), fixtures.sourceDeleted(tenant, removed, 2)]);
    await waitCaughtUp(service.lag);
    const before = await dumpGeneration(service.models.dataSource, 1);
    expect(before.messages.length).toBe(first.messages);
    expect(before.attempts.length).toBe(first.attempts);
    expect(before.sources.map((row) => JSON.parse(row))).toEqual([expect.objectContaining({ source_id: kept, enabled: false, version: 2 })]);

    let answered = 0;
    let failures = 0;
    let replaying = true;
    const poller = (async () => {
      while (replaying) {
        const res = await getJson(baseUrl, `/v1/messages?tenant_id=${tenant}&limit=5`, ADMIN_KEY);
        if (res.status === 200 && res.body.data.length === 5) answered += 1;
        else failures += 1;
      }
    })();
    const result = await rebuild(2);
    replaying = false;
    await poller;

    expect(result).toMatchObject({ previous: 1, generation: 2 });
    expect(await service.models.activeGeneration()).toBe(2);
    expect(answered).toBeGreaterThan(0);
    expect(failures).toBe(0);
    expect(await dumpGeneration(service.models.dataSource, 2)).toEqual(before);
  });

  it('keeps projecting into the new generation, also when events arrive during the rebuild', async () => {
    const during = workload(2, 200);
    const publishing = (async () => {
      for (let i = 0; i < during.events.length; i += 100) {
        await stack.publish(during.events.slice(i, i + 100));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const result = await rebuild(2);
    await publishing;
    expect(result.generation).toBe(3);
    await waitCaughtUp(service.lag);
    const live = await dumpGeneration(service.models.dataSource, 3);
    expect(live.messages.length).toBe(600 + 400);

    // The generation two consumers built and switched to under load equals one a single consumer rebuilds afterwards.
    await rebuild(1);
    expect(await service.models.activeGeneration()).toBe(4);
    expect(await dumpGeneration(service.models.dataSource, 4)).toEqual(live);
    // Generations older than the previous one are dropped.
    const schemas: Array<{ n: string }> = await service.models.dataSource.query(
      `SELECT nspname AS n FROM pg_namespace WHERE nspname LIKE 'query_g%' ORDER BY 1`);
    expect(schemas.map((s) => s.n)).toEqual(['query_g3', 'query_g4']);
  });
});
