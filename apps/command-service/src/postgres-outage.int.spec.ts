import { CommandServiceHarness, startCommandServiceHarness } from './test/command-service.harness';

jest.setTimeout(120_000);

/**
 * A Postgres failover, restart or pg_terminate_backend drops the command service's connections while config commands
 * run: a command may fail (and say so), but one that was acknowledged must reach the log, and the service must keep
 * taking commands. Config events go through the transactional outbox, so this is its relay under fire.
 */
describe('command service with its Postgres connections killed while config commands run (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;

  beforeAll(async () => {
    h = await startCommandServiceHarness('pg-outage');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('appends every acknowledged endpoint, answers the rest with a clear error, takes commands afterwards, and a keyed retry creates no second endpoint', async () => {
    const tenantId = (await h.rest('POST', '/v1/tenants', { body: { name: 'outage' } })).body.id as string;
    const kill = async () =>
      (await h.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'hookline-command-service'`,
        [h.db.name])).rowCount ?? 0;

    const create = (i: number) =>
      h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: `http://127.0.0.1:9/outage-${i}` }, headers: { 'idempotency-key': `outage-${i}` } });

    let killed = 0;
    let stop = false;
    const killer = (async () => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, 150));
        killed += await kill();
      }
    })();
    const answers: Array<{ status: number; id?: string; type?: string; retryAfter?: string | null }> = [];
    // Until a few commands were caught by a kill (a command between two kills simply succeeds).
    for (let i = 0; i < 400 && (i < 60 || answers.filter((a) => a.status !== 201).length < 3); i++) {
      const res = await create(i);
      answers.push({ status: res.status, id: res.body?.id, type: res.body?.type, retryAfter: res.headers.get('retry-after') });
    }
    stop = true;
    await killer;
    expect(killed).toBeGreaterThan(0);

    const acknowledged = answers.filter((a) => a.status === 201).map((a) => a.id!);
    const refused = answers.filter((a) => a.status !== 201);
    // A command that hit a dropped connection is a 503 problem with Retry-After (the client should retry), not a 500.
    expect(refused.length).toBeGreaterThan(0);
    expect(refused).toEqual(refused.map(() => ({ status: 503, type: 'https://hookline.dev/problems/unavailable', retryAfter: '1' })));
    expect(acknowledged.length).toBeGreaterThan(0);

    let missing: string[] = acknowledged;
    for (let tries = 0; tries < 100 && missing.length > 0; tries++) {
      const created = new Set((await h.events('config')).filter((e) => e.event.type === 'endpoint.created.v1').map((e) => (e.event.data as { endpoint_id: string }).endpoint_id));
      missing = acknowledged.filter((id) => !created.has(id));
      if (missing.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(missing).toEqual([]);

    const after = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'http://127.0.0.1:9/after' } });
    expect(after.status).toBe(201);

    // The connection may have dropped after a refused command committed. Its client retries with the same key and
    // gets that endpoint, or a first one: each URL has exactly one endpoint, never two.
    for (const [i, a] of answers.entries()) if (a.status !== 201) expect((await create(i)).status).toBe(201);
    // Counted by endpoint id: the outbox relay, its connection killed too, may send an event twice (consumers dedupe by event id).
    const endpointsByUrl = new Map<string, Set<string>>();
    for (const e of await h.events('config')) {
      if (e.event.type !== 'endpoint.created.v1' || e.event.tenant_id !== tenantId) continue;
      const { url, endpoint_id } = e.event.data as { url: string; endpoint_id: string };
      if (url.includes('/outage-')) endpointsByUrl.set(url, (endpointsByUrl.get(url) ?? new Set()).add(endpoint_id));
    }
    expect([...endpointsByUrl].filter(([, ids]) => ids.size !== 1)).toEqual([]);
    expect(endpointsByUrl.size).toBe(answers.length);
  });
});
