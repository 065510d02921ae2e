import os from 'node:os';
import path from 'node:path';
import { bullBaseline, SeriesReader } from './baselines/bullmq';
import { rawPgInserts } from './baselines/raw-pg';
import { checkIntegrity } from './gate/integrity-gate';
import { runIdNow, sleep, wallMs } from './measure/clock';
import { ProcessTracker, findPids } from './measure/proc-stats';
import { quantiles101, summarize } from './measure/stats';
import { Worker } from './processes/ipc';
import { Profile } from './profiles';
import { DeadLetterReader, dispatcherEvidence, retryStoreRows } from './scenario/gate-evidence';
import { measureDispatchDrain } from './scenario/dispatch-drain';
import { runIngest } from './scenario/ingest';
import { LagSampler } from './scenario/lag-sampler';
import { projectionBacklog } from './scenario/read-model-catch-up';
import { Ledger } from './scenario/ledger';
import { LoadResult, RunContext, deliveryLatencies, markInterval, runLoad } from './scenario/load-phase';
import { infrastructureGroups, ownedGroup, serviceGroups, startLoadWorkers } from './scenario/load-processes';
import { measureRebuild } from './scenario/projection-rebuild';
import { searchMaxRate } from './scenario/rate-search-run';
import { createMainTenants, createTenant } from './scenario/setup';
import { timeline } from './scenario/timeline';
import { BenchReport, latencyReport } from './report/bench-report';
import { pausesBetween, scrapeRuntime } from './measure/runtime-pauses';
import { summarizeProfiles } from './report/cpu-profile';
import { startStack } from './stack/stack';

/** How long the slow endpoint takes to answer (the receiver's BENCH_SLOW_MS default). */
const SLOW_MS = 250;

/** Runs the whole benchmark on a throwaway local stack; the returned report says whether the integrity gate held. */
export interface RunOptions {
  /** Profile the services (node --cpu-prof) and report where their CPU time goes during the load phases. */
  cpuProfile?: boolean;
  runId?: string;
  /** Only the raw HTTP baseline and the dispatcher drain (plus the gate): a quick loop while working on the dispatcher. */
  drainOnly?: boolean;
}

export async function runBench(profile: Profile, log: (m: string) => void, opts: RunOptions = {}): Promise<BenchReport> {
  const runId = opts.runId ?? runIdNow();
  const began = wallMs();
  const errors: string[] = [];
  const report: Partial<BenchReport> = {
    runId,
    profile,
    startedAt: new Date().toISOString(),
    machine: { cores: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: os.loadavg() },
    errors,
  };
  const serviceLogs = path.join(os.tmpdir(), `hookline-bench-${runId}`);
  report.serviceLogs = serviceLogs;
  log(`run ${runId} (${profile.name}): starting the stack (service logs in ${serviceLogs})`);
  const stack = await startStack(runId, log, { logDir: serviceLogs, cpuProfile: opts.cpuProfile });
  const workers: Worker[] = [];
  let ticker: NodeJS.Timeout | undefined;
  try {
    const load = await startLoadWorkers(workers);
    const { receiver, generator, receiverUrl } = load;

    let bullWorkerPid = 0;
    let ingestPid = 0;
    const tracker = new ProcessTracker([
      ...serviceGroups(stack, load),
      ownedGroup('bullmq-worker', () => bullWorkerPid),
      ownedGroup('ingest bench (own command service)', () => ingestPid),
      ownedGroup('harness', () => process.pid),
      ...infrastructureGroups(stack),
      { name: 'redis (shared)', ownedByRun: false, pids: () => findPids((_c, comm) => comm === 'redis-server') },
    ]);
    ticker = setInterval(() => tracker.tick(), 1000);
    const ledger = new Ledger();
    const backlog = projectionBacklog(stack.services['query-service'].url);
    const ctx: RunContext = {
      commandUrl: stack.services['command-service'].url,
      generator,
      receiver,
      ledger,
      tracker,
      intervals: [],
      generatorConnections: profile.generatorConnections,
      nextSeq: 1,
      intervalStart: wallMs(),
      projectionBacklog: backlog,
      log,
    };
    markInterval(ctx, 'start-up');

    // Tenants: main-i with E fast endpoints each; a fast and a 250 ms tenant for isolation; a retry tenant whose
    // endpoints fail once (flaky) and always (dead), so every run's gate also covers retries and dead letters.
    const commandUrl = ctx.commandUrl;
    const main = await createMainTenants(commandUrl, receiverUrl, profile.mainTenants, profile.endpointsPerTenant);
    const isoFast = await createTenant(commandUrl, receiverUrl, 'iso-fast', ['/ep/iso-fast']);
    const isoSlow = await createTenant(commandUrl, receiverUrl, 'iso-slow', ['/slow/iso'], { max_in_flight: profile.slowMaxInFlight });
    const retry = await createTenant(commandUrl, receiverUrl, 'retry', ['/flaky/0', '/dead/0']);
    for (const t of [...main, isoFast, isoSlow, retry]) ledger.addTenant(t);
    const fanout = profile.endpointsPerTenant;

    log('warm-up: every tenant until the dispatcher delivers to all endpoints');
    const warm = await runLoad(ctx, 'warm-up', [{ rate: 40, tenants: [...main, isoFast, isoSlow] }], { durationMs: profile.warmUpMs, drainMs: 30_000 });
    const warmMissing = warm.deliveries.filter((d) => d.arrivedAt === null).length;
    if (warmMissing) errors.push(`warm-up: ${warmMissing} deliveries had not arrived after 30 s`);
    await runLoad(ctx, 'retry probes', [{ rate: 10, tenants: [retry] }], { durationMs: (profile.retryProbeMessages / 10) * 1000, drainMs: 0 });

    // Baselines, while the system under test idles.
    const series: SeriesReader = () => receiver.call('series');
    const baselines: BenchReport['baselines'] = { rawHttp: null, rawHttpAfter: null, rawPg: null, rawPgAfter: null, bullmq: null, ingest: { status: 'failed', note: 'not run' } };
    const rawHttp = async (when: string): Promise<BenchReport['baselines']['rawHttp']> => {
      try {
        log(`baseline: raw undici POSTs${when}`);
        const r = await generator.call<{ requests: number; errors: number; seconds: number; total: number }>('rawHttp', { url: `${receiverUrl}/raw`, durationMs: profile.baselineMs, warmupMs: 500, concurrency: profile.concurrency }, profile.baselineMs + 30_000);
        return { requestsPerSecond: r.requests / r.seconds, errors: r.errors, total: r.total };
      } catch (err) {
        errors.push(`raw HTTP baseline${when}: ${(err as Error).message}`);
        return null;
      }
    };
    baselines.rawHttp = await rawHttp('');
    markInterval(ctx, 'baseline raw HTTP');
    if (!opts.drainOnly) {
      try {
        log('baseline: raw pg multi-row inserts');
        baselines.rawPg = await rawPgInserts(stack.databaseUrl, profile.baselineMs);
      } catch (err) {
        errors.push(`raw pg baseline: ${(err as Error).message}`);
      }
      markInterval(ctx, 'baseline raw pg');
      try {
        log('baseline: BullMQ queue + undici worker');
        baselines.bullmq = await bullBaseline({
          redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', runId, generator, receiverUrl, series, durationMs: profile.baselineMs,
          concurrency: profile.concurrency, endpoints: fanout, onWorker: (pid) => (bullWorkerPid = pid),
        });
      } catch (err) {
        errors.push(`BullMQ baseline: ${(err as Error).message}`);
      }
      markInterval(ctx, 'baseline BullMQ');
      log('baseline: REST ingest vs raw kafkajs producer');
      baselines.ingest = await runIngest({ brokers: stack.brokers, profile, log, onPid: (pid) => (ingestPid = pid) });
      if (baselines.ingest.status !== 'ok') errors.push(baselines.ingest.note);
      markInterval(ctx, 'baseline ingest');
    }
    report.baselines = baselines;

    if (opts.drainOnly) {
      report.search = { steps: [], maxMessagesPerSecond: null, maxDeliveredPerSecond: null };
      report.cpuPerDelivery = { hookline: null, rawHttp: null, bullmq: null, hooklineProcesses: [] };
      report.latency = { half: null, high: null };
      report.readModelLag = null;
      report.isolation = null;
    } else {

      // Search for the highest rate whose backlog stays flat (profiled with --cpu-prof, up to the end of the latency phases).
      stack.toggleCpuProfiles();
      const { steps, best, bestStep, bestLoad } = await searchMaxRate(ctx, main, profile);
      // A sustainable step delivers what it is offered (its measured second half may run above that while a start-up
      // hiccup drains), so the max delivered/s is the offered rate of the best sustainable step.
      report.search = { steps, maxMessagesPerSecond: best, maxDeliveredPerSecond: bestStep ? bestStep.offeredPerSecond : null };
      const maxRate = best ?? profile.search.minRate;
      const cpuOf = (intervalName: string, groups: string[]) =>
        ctx.intervals.find((i) => i.name === intervalName)?.groups.filter((g) => groups.includes(g.name)).reduce((t, g) => t + g.cpuSeconds, 0) ?? 0;
      const hooklineProcesses = ['command-service', 'dispatcher', 'query-service', 'postgres (run db backends)', 'kafka broker (shared)', 'generator', 'receiver'];
      const bestArrived = bestLoad ? bestLoad.deliveries.filter((d) => d.arrivedAt !== null).length : 0;
      const bullCpu = cpuOf('baseline BullMQ', ['generator', 'bullmq-worker', 'redis (shared)', 'receiver']);
      const rawCpu = cpuOf('baseline raw HTTP', ['generator', 'receiver']);
      report.cpuPerDelivery = {
        hookline: bestLoad && bestArrived ? (bestLoad.cpu.groups.filter((g) => hooklineProcesses.includes(g.name)).reduce((t, g) => t + g.cpuSeconds, 0) * 1000) / bestArrived : null,
        rawHttp: baselines.rawHttp?.total ? (rawCpu * 1000) / baselines.rawHttp.total : null,
        bullmq: baselines.bullmq?.totalDelivered ? (bullCpu * 1000) / baselines.bullmq.totalDelivered : null,
        hooklineProcesses,
      };
      if (best === null) errors.push('no sustainable rate found: even the lowest step built a backlog');

      // Latency at 50 % and 80 % of the max; read-model lag sampled at 80 %.
      const halfRate = Math.max(1, Math.round(maxRate * 0.5));
      log(`latency at 50 %: ${halfRate} messages/s`);
      const services = Object.values(stack.services);
      const runtimeBefore = await Promise.all(services.map((s) => scrapeRuntime(s.url)));
      const half = await runLoad(ctx, 'latency 50 %', [{ rate: halfRate, tenants: main }], { durationMs: profile.latencyMs, drainMs: profile.stepDrainMs });
      const runtimeAfter = await Promise.all(services.map((s) => scrapeRuntime(s.url)));
      const halfPauses = services.flatMap((s, i) => {
        const [before, after] = [runtimeBefore[i], runtimeAfter[i]];
        return before && after ? [pausesBetween(s.name, before, after)] : [];
      });
      const highRate = Math.max(1, Math.round(maxRate * 0.8));
      log(`latency at 80 %: ${highRate} messages/s, read-model lag sampled`);
      const lag = new LagSampler(stack.databaseUrl, backlog, (st) => main[st % 1000]);
      let lagStarted = false;
      try {
        await lag.start();
        lagStarted = true;
      } catch (err) {
        errors.push(`read-model lag sampler: ${(err as Error).message}`);
      }
      const high = await runLoad(ctx, 'latency 80 %', [{ rate: highRate, tenants: main }], {
        durationMs: profile.latencyMs, drainMs: profile.stepDrainMs, sampleEvery: lagStarted ? 10 : 0, onAccepted: (s) => lag.add(s),
      });
      if (lagStarted) {
        const unseen = await lag.stop(10_000);
        const lags: number[] = [];
        for (const [key, seen] of lag.seenAt) {
          const arrived = ledger.firstOkAt(key);
          if (arrived !== undefined) lags.push(seen - arrived);
        }
        report.readModelLag = {
          samples: lags.length,
          unseen,
          lagMs: lags.length ? summarize(lags) : null,
          maxRecordLag: lag.recordLag.length ? Math.max(...lag.recordLag.map(([, n]) => n)) : null,
          pollMs: 100,
        };
      } else {
        report.readModelLag = null;
      }
      report.latency = { half: { ...latencyReport(half, 0.5, halfRate), servicePauses: halfPauses }, high: latencyReport(high, 0.8, highRate) };

      stack.toggleCpuProfiles();

      // Isolation: one fast endpoint alone, then next to a saturated 250 ms endpoint.
      // The slow endpoint is offered 1.5 × what its in-flight budget lets through; the fast one gets what keeps the total
      // near 60 % of the max (at least 20 % of it), so the phase tests isolation, not overload of the whole system.
      const slowRate = Math.round((1.5 * profile.slowMaxInFlight * 1000) / SLOW_MS);
      const fastRate = Math.max(1, Math.round(Math.max(0.2 * maxRate, 0.6 * maxRate - slowRate)));
      const isFast = (d: { endpointPath: string }) => d.endpointPath === '/ep/iso-fast';
      const fastRateOf = (load: LoadResult) => {
        const from = load.startAt + (load.endAt - load.startAt) / 4;
        const n = load.deliveries.filter((d) => isFast(d) && d.arrivedAt !== null && d.arrivedAt >= from && d.arrivedAt <= load.endAt).length;
        return n / ((load.endAt - from) / 1000);
      };
      log(`isolation: fast endpoint alone at ${fastRate}/s`);
      const solo = await runLoad(ctx, 'isolation solo', [{ rate: fastRate, tenants: [isoFast] }], { durationMs: profile.isolationMs, drainMs: profile.stepDrainMs });
      log(`isolation: fast endpoint at ${fastRate}/s next to a 250 ms endpoint offered ${slowRate}/s`);
      const mixed = await runLoad(ctx, 'isolation mixed', [{ rate: fastRate, tenants: [isoFast] }, { rate: slowRate, tenants: [isoSlow] }], {
        durationMs: profile.isolationMs, drainMs: profile.stepDrainMs, drainUntil: isFast,
      });
      const soloRate = fastRateOf(solo);
      const mixedRate = fastRateOf(mixed);
      const slowFrom = mixed.startAt + (mixed.endAt - mixed.startAt) / 4;
      const slowArrived = mixed.deliveries.filter((d) => !isFast(d) && d.arrivedAt !== null && d.arrivedAt >= slowFrom && d.arrivedAt <= mixed.endAt).length;
      report.isolation = {
        fastRate,
        slowRate,
        slowMaxInFlight: profile.slowMaxInFlight,
        soloDeliveredPerSecond: soloRate,
        mixedDeliveredPerSecond: mixedRate,
        ratio: soloRate > 0 ? mixedRate / soloRate : 0,
        soloP99Ms: summarize(deliveryLatencies(solo.deliveries)).p99,
        mixedP99Ms: summarize(deliveryLatencies(mixed.deliveries.filter(isFast))).p99,
        soloCdf: quantiles101(deliveryLatencies(solo.deliveries)),
        mixedCdf: quantiles101(deliveryLatencies(mixed.deliveries.filter(isFast))),
        slowDeliveredPerSecond: slowArrived / ((mixed.endAt - slowFrom) / 1000),
      };
    }

    // The dispatcher alone against a backlog, published at what the command service comfortably accepts.
    const accepts = baselines.ingest.restValidatedPerSecond ?? baselines.ingest.restAcceptedPerSecond;
    const publishRate = Math.round(Math.min(1500, accepts ? 0.7 * accepts : 600));
    // Restarted first: its drain also warms the dispatcher of a drain-only run up for the frozen one, the figure.
    report.drain = null;
    report.drainRestarted = null;
    for (const start of ['restarted', 'frozen'] as const) {
      log(`dispatcher drain (${start}): ${publishRate} messages/s for ${profile.drainPublishMs / 1000} s with the dispatcher ${start === 'frozen' ? 'stopped (SIGSTOP)' : 'shut down'}, then it drains the backlog`);
      try {
        const drain = await measureDispatchDrain(ctx, stack, main, {
          publishRate, publishMs: profile.drainPublishMs, timeoutMs: 120_000, cpuProfile: opts.drainOnly && opts.cpuProfile && start === 'frozen', start,
        });
        if (start === 'frozen') report.drain = drain;
        else report.drainRestarted = drain;
        log(`  → ${drain.arrived} of ${drain.deliveries} deliveries in ${drain.drainSeconds.toFixed(1)} s: ${Math.round(drain.deliveredPerSecond)}/s`);
      } catch (err) {
        errors.push(`dispatcher drain (${start}): ${(err as Error).message}`);
      }
    }

    // Raw undici again: a shared machine's speed drifts, and a baseline caught in a slow moment would flatter every ratio.
    baselines.rawHttpAfter = await rawHttp(', again');
    markInterval(ctx, 'baseline raw HTTP again');

    // Cut-off: let what is in flight finish (bounded), then take the gate's evidence in the safe order.
    log('draining before the cut-off');
    const deadLetters = new DeadLetterReader(stack.brokers, stack.topics.deadLetters, `bench-${runId}-gate`);
    await deadLetters.start();
    const drainDeadline = wallMs() + profile.finalDrainMs;
    for (;;) {
      await ledger.pull(receiver);
      const waiting = ledger.undelivered();
      if (waiting.length === 0 || wallMs() > drainDeadline) break;
      const dead = new Set((await retryStoreRows(stack.databaseUrl)).dead);
      if (waiting.every((d) => dead.has(d.key))) break;
      await sleep(1000);
    }
    markInterval(ctx, 'final drain');
    log('integrity gate');
    const evidence = await dispatcherEvidence({ brokers: stack.brokers, groupId: stack.dispatcherGroup, messagesTopic: stack.topics.messages,
      databaseUrl: stack.databaseUrl, deadLetters }).finally(() => deadLetters.stop());
    await ledger.pull(receiver);
    report.gate = checkIntegrity({
      published: ledger.publishedForGate(),
      unacknowledged: ledger.unacknowledged,
      requests: ledger.requests,
      deadLettered: [...evidence.deadRows, ...evidence.deadLetterEvents],
      parked: evidence.parked,
      committedOffsets: evidence.committedOffsets,
    });
    log(`gate ${report.gate.passed ? 'PASSED' : 'FAILED'}: ${report.gate.expectedDeliveries} expected = ${report.gate.delivered} delivered + ${report.gate.deadLettered} dead-lettered + ${report.gate.inFlight} in flight + ${report.gate.lost} lost; ${report.gate.duplicates} duplicates`);
    if (ledger.publishFailures.size) errors.push(`publishes refused or unanswered by status: ${JSON.stringify(Object.fromEntries(ledger.publishFailures))}`);

    // Projection throughput: rebuild the read models from the run's log with nothing else loading the machine.
    report.projection = { rebuild: null };
    if (profile.rebuild && !opts.drainOnly) {
      log('projection: rebuilding the read models from the log');
      try {
        report.projection.rebuild = await measureRebuild({
          env: { DATABASE_URL: stack.databaseUrl, KAFKA_BROKERS: stack.brokers.join(','), KAFKA_TOPIC_PREFIX: stack.topicPrefix,
            PROJECTOR_GROUP_ID: stack.projectorGroup, LOG_LEVEL: 'warn', HOOKLINE_DEV: 'true' },
          brokers: stack.brokers, topics: Object.values(stack.topics), timeoutMs: profile.name === 'full' ? 120_000 : 30_000,
        });
      } catch (err) {
        report.projection.error = (err as Error).message;
        errors.push(`projection rebuild: ${(err as Error).message}`);
      }
      markInterval(ctx, 'projection rebuild');
      // The raw pg baseline again, next to the rebuild: a shared machine's speed drifts over a run (with raw pg measured
      // only before the load, five minutes ahead of the rebuild, two runs twenty minutes apart gave rebuild ratios of
      // 0.672 and 0.421), so the rebuild's ratio uses the mean of both, as the ingest bench does with its raw producer.
      if (report.projection.rebuild) {
        log('baseline: raw pg multi-row inserts, again');
        try {
          baselines.rawPgAfter = await rawPgInserts(stack.databaseUrl, profile.baselineMs);
        } catch (err) {
          errors.push(`raw pg baseline after the rebuild: ${(err as Error).message}`);
        }
        markInterval(ctx, 'baseline raw pg again');
      }
    }

    // Processes: totals over the run, and over the load phases of the system under test.
    const totals = new Map<string, number>();
    const loadCpu = new Map<string, number>();
    const isLoad = (n: string) => n.startsWith('search') || n.startsWith('latency') || n.startsWith('isolation');
    for (const i of ctx.intervals) {
      for (const g of i.groups) {
        totals.set(g.name, (totals.get(g.name) ?? 0) + g.cpuSeconds);
        if (isLoad(i.name)) loadCpu.set(g.name, (loadCpu.get(g.name) ?? 0) + g.cpuSeconds);
      }
    }
    const peaks = tracker.peaks();
    report.processes = {
      intervals: ctx.intervals,
      totals: [...totals].map(([name, cpuSeconds]) => ({ name, cpuSeconds, peakRssBytes: peaks[name] ?? 0 })),
      loadPhaseCpu: [...loadCpu].map(([name, cpuSeconds]) => ({ name, cpuSeconds })),
    };
    report.timeline = await timeline(ctx, series, began);
  } finally {
    if (ticker) clearInterval(ticker);
    await Promise.all(workers.map((w) => w.stop()));
    log('stopping the stack and removing the run database, topics and groups');
    await stack.teardown();
  }
  if (opts.cpuProfile) {
    await sleep(500);
    report.cpuProfiles = summarizeProfiles(serviceLogs);
  }
  report.durationSeconds = (wallMs() - began) / 1000;
  return report as BenchReport;
}
