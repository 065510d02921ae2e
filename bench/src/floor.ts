// `npm run bench:floor`: see bench/README.md.
//
// The full run compares Hookline with one process posting to the receiver (raw undici). This run measures the floor
// of any design with Hookline's shape on the same machine: a bare HTTP ingest that appends each message to Kafka
// (acks=-1) and a bare Kafka consumer that POSTs it, signed, to each endpoint of its tenant — nothing else (see the
// two bare-*.process.ts). The same generator, receiver, ledger, rate search and latency phase as the full run measure
// it, against a raw undici baseline of the same run, so its ratios read like the full run's: what fraction of the
// raw figure the pipeline's own hops (an HTTP request in, Kafka twice, the POST out) leave reachable at all.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newId, topicNames } from '@hookline/contracts';
import { ProcessTracker } from './measure/proc-stats';
import { summarize } from './measure/stats';
import { runIdNow, wallMs } from './measure/clock';
import { Worker, startWorker } from './processes/ipc';
import { PROFILES } from './profiles';
import { arrivalRate } from './scenario/dispatch-drain';
import { Ledger } from './scenario/ledger';
import { RunContext, cpuPerDelivery, deliveryLatencies, markInterval, runLoad, waitForArrivals } from './scenario/load-phase';
import { kafkaBrokerGroup, ownedGroup, startLoadWorkers } from './scenario/load-processes';
import { searchMaxRate } from './scenario/rate-search-run';
import { BenchTenant } from './scenario/setup';
import { cleanupKafka, ensureKafka } from './stack/stack';

const log = (m: string) => process.stderr.write(`[floor ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The full run's main tenants (4 × 2 endpoints on /ep/0…7), minted here: the bare pipeline has no API to create them. */
function floorTenants(): BenchTenant[] {
  const { mainTenants, endpointsPerTenant } = PROFILES.full;
  return Array.from({ length: mainTenants }, (_, t) => ({
    name: `main-${t}`,
    tenantId: newId('tenant'),
    apiKey: `hk_floor_${t}_${newId('message')}`,
    endpoints: Array.from({ length: endpointsPerTenant }, (_, e) => ({ path: `/ep/${t * endpointsPerTenant + e}`, endpointId: newId('endpoint') })),
  }));
}

async function floor(): Promise<void> {
  const runId = `floor-${runIdNow()}`;
  const prefix = `bench-${runId}-`;
  const topic = topicNames(prefix).messages;
  const kafka = await ensureKafka(log, prefix);
  const workers: Worker[] = [];
  let ticker: NodeJS.Timeout | undefined;
  try {
    const load = await startLoadWorkers(workers);
    const { generator, receiver, receiverUrl } = load;
    const full = PROFILES.full;
    log('baseline: raw undici POSTs');
    const raw = await generator.call<{ requests: number; seconds: number; errors: number }>('rawHttp',
      { url: `${receiverUrl}/raw`, durationMs: full.baselineMs, warmupMs: 500, concurrency: full.concurrency }, full.baselineMs + 30_000);
    const rawPerSecond = raw.requests / raw.seconds;

    const tenants = floorTenants();
    const dispatcher = await startWorker('bare-dispatcher', 'bare-dispatcher.process.ts');
    workers.push(dispatcher);
    const dispatcherArgs = { brokers: kafka.brokers, topic, groupId: `${prefix}bare-dispatcher`, receiverUrl,
      tenants: tenants.map((t) => ({ tenantId: t.tenantId, paths: t.endpoints.map((e) => e.path) })) };
    await dispatcher.call('start', dispatcherArgs);
    const ingest = await startWorker('bare-ingest', 'bare-ingest.process.ts');
    workers.push(ingest);
    const { url } = await ingest.call<{ url: string }>('start', { brokers: kafka.brokers, topic, tenants: tenants.map((t) => ({ tenantId: t.tenantId, apiKey: t.apiKey })) });

    const tracker = new ProcessTracker([
      ownedGroup('bare ingest', () => ingest.pid), ownedGroup('bare dispatcher', () => dispatcher.pid),
      ownedGroup('receiver', () => receiver.pid), ownedGroup('generator', () => generator.pid), kafkaBrokerGroup,
    ]);
    ticker = setInterval(() => tracker.tick(), 1000);
    const ctx: RunContext = {
      commandUrl: url, generator, receiver, ledger: new Ledger(), tracker, intervals: [], generatorConnections: full.generatorConnections,
      nextSeq: 1, intervalStart: wallMs(), log,
    };
    for (const t of tenants) ctx.ledger.addTenant(t);
    markInterval(ctx, 'start-up');
    await runLoad(ctx, 'warm-up', [{ rate: 40, tenants }], { durationMs: full.warmUpMs, drainMs: 30_000 });

    const { steps, best, bestStep, bestLoad } = await searchMaxRate(ctx, tenants, full);
    if (best === null || !bestStep || !bestLoad) throw new Error('no sustainable rate: even the lowest step built a backlog');
    const halfRate = Math.max(1, Math.round(best * 0.5));
    log(`latency at 50 %: ${halfRate} messages/s`);
    const half = await runLoad(ctx, 'latency 50 %', [{ rate: halfRate, tenants }], { durationMs: full.latencyMs, drainMs: full.stepDrainMs });
    const e2e = summarize(deliveryLatencies(half.deliveries));
    const rest = summarize(half.restLatencies);
    const arrived = bestLoad.deliveries.filter((d) => d.arrivedAt !== null).length;
    const cost = cpuPerDelivery(bestLoad.cpu, arrived).cpuMsPerDelivery;

    // The full run's dispatcher drain, for the bare dispatcher: stopped, a backlog published (at 70 % of the max, as
    // long as the full run's), then started again and timed from its 10th to its 90th percentile arrival. Twice: bare,
    // then also appending the attempt event Hookline's contract requires for every delivery.
    const drainRate = Math.round(best * 0.7);
    const drainOnce = async (label: string, args: typeof dispatcherArgs & { attemptEventsTopic?: string }) => {
      log(`drain${label}: the bare dispatcher stopped, ${drainRate} messages/s published for ${full.drainPublishMs / 1000} s, then drained`);
      await dispatcher.call('stop');
      const backlog = await runLoad(ctx, `drain${label}: backlog`, [{ rate: drainRate, tenants }], { durationMs: full.drainPublishMs, drainMs: 0 });
      await dispatcher.call('start', args);
      await waitForArrivals(ctx, backlog.accepted, wallMs() + 120_000, { pollMs: 100 });
      const cpu = markInterval(ctx, `drain${label}`);
      const drain = arrivalRate(ctx.ledger.deliveriesOf(backlog.accepted));
      return { drain, offered: backlog.accepted.length * tenants[0].endpoints.length, cpuMs: cpuPerDelivery(cpu, drain.arrived).cpuMsPerDelivery['bare dispatcher'] ?? NaN };
    };
    const bare = await drainOnce('', dispatcherArgs);
    const withEvents = await drainOnce(' with attempt events', { ...dispatcherArgs, attemptEventsTopic: topicNames(prefix).deliveries });

    const lines: string[] = [];
    const out = (line: string) => lines.push(line);
    out('| figure | bare pipeline | baseline | ratio |\n|---|---|---|---|');
    out(`| delivered/s, max sustainable (${fmt(best)} msg/s × ${tenants[0].endpoints.length} endpoints) | ${fmt(bestStep.offeredPerSecond)} | raw undici POSTs/s: ${fmt(rawPerSecond)} | ${(bestStep.offeredPerSecond / rawPerSecond).toFixed(3)} |`);
    out(`| p50 / p99 / max at 50 % (${fmt(halfRate)} msg/s), scheduled send → first byte | ${fmt(e2e.p50, 1)} / ${fmt(e2e.p99, 1)} / ${fmt(e2e.max, 1)} ms | REST 202 p50 / p99: ${fmt(rest.p50, 1)} / ${fmt(rest.p99, 1)} ms | – |`);
    for (const [what, d] of [['the bare dispatcher', bare], ['… also appending an attempt event per delivery', withEvents]] as const) {
      out(`| delivered/s, ${what} draining a backlog (${fmt(d.drain.arrived)} of ${fmt(d.offered)} deliveries in ${d.drain.drainSeconds.toFixed(1)} s) | ${fmt(d.drain.deliveredPerSecond)} | raw undici POSTs/s: ${fmt(rawPerSecond)} | ${(d.drain.deliveredPerSecond / rawPerSecond).toFixed(3)} |`);
      out(`| CPU ms per delivery of ${what.replace('… ', 'the bare dispatcher ')} while it drained (from its restart on) | ${d.cpuMs.toFixed(3)} | – | – |`);
    }
    out(`| CPU ms per delivery at the max | ${Object.entries(cost).map(([name, ms]) => `${name} ${ms.toFixed(3)}`).join(' · ')} | – | – |`);
    out('\n| msg/s | delivered/s | p99 e2e | p99 REST | machine busy / run (cores) | verdict |\n|---|---|---|---|---|---|');
    for (const s of steps) {
      out(`| ${fmt(s.messagesPerSecond)} | ${fmt(s.deliveredPerSecond)} | ${fmt(s.latencyP99Ms, 1)} ms | ${fmt(s.restP99Ms, 1)} ms | ${s.machineBusyCores.toFixed(2)} / ${s.runBusyCores.toFixed(2)} | ${s.sustainable ? 'sustainable' : `not: ${s.reasons.join('; ')}`} |`);
    }
    const text = `# Hookline benchmark floor — ${runId}\n\n${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.version}\n\n${lines.join('\n')}\n`;
    const file = path.join(__dirname, '..', 'results', `${runId}.md`);
    writeFileSync(file, text);
    process.stdout.write(`${text}\nresults: ${path.relative(process.cwd(), file)}\n`);
  } finally {
    if (ticker) clearInterval(ticker);
    for (const w of workers.reverse()) await w.stop().catch(() => undefined);
    await cleanupKafka(kafka.brokers, Object.values(topicNames(prefix)), prefix).catch((err) => log(`cleanup: ${(err as Error).message}`));
    if (kafka.started) await kafka.stop();
  }
}

floor().then(() => process.exit(0), (err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
