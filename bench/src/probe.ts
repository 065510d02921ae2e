// `npm run bench:probe -- [--rates 1,20,60] [--seconds 15]`: see bench/README.md.
//
// The full run searches for the highest sustainable rate, where batching shares each Kafka request, Postgres
// transaction and wake-up among many messages. This probe looks at the other end: fixed, moderate rates, where every
// message pays those costs alone. It prints, per rate, what one delivery costs each process in CPU and the latencies;
// with --trace, also where a delivery's time goes, leg by leg, from the services' own spans.
import os from 'node:os';
import path from 'node:path';
import { OtlpReceiver, startOtlpReceiver } from '@hookline/testing';
import { startStack } from './stack/stack';
import { Worker } from './processes/ipc';
import { ProcessTracker } from './measure/proc-stats';
import { summarize } from './measure/stats';
import { sleep, wallMs } from './measure/clock';
import { HopName, deliveryHops, summarizeHops } from './measure/trace-hops';
import { Ledger } from './scenario/ledger';
import { RunContext, cpuPerDelivery, deliveryLatencies, markInterval, runLoad } from './scenario/load-phase';
import { infrastructureGroups, serviceGroups, startLoadWorkers } from './scenario/load-processes';
import { createMainTenants } from './scenario/setup';
import { projectionBacklog } from './scenario/read-model-catch-up';
import { PROFILES } from './profiles';

interface ProbeArgs {
  rates: number[];
  seconds: number;
  /** Profile the services over the probed rates (node --cpu-prof): <log dir>/<service>.cpuprofile. */
  cpuProfile: boolean;
  /** Export this share of the traces to a receiver in this process and break the deliveries' time into legs (0: off). */
  traceRatio: number;
}

function parseArgs(argv: string[]): ProbeArgs | null {
  const args: ProbeArgs = { rates: [1, 20, 60], seconds: 15, cpuProfile: false, traceRatio: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--cpu-prof') {
      args.cpuProfile = true;
      i -= 1;
    } else if (flag === '--rates' && value && /^\d+(,\d+)*$/.test(value)) args.rates = value.split(',').map(Number);
    else if (flag === '--seconds' && value && /^\d+$/.test(value)) args.seconds = Number(value);
    else if (flag === '--trace' && value && /^(0?\.\d+|1)$/.test(value)) args.traceRatio = Number(value);
    else return null;
  }
  return args.rates.every((r) => r > 0) && args.seconds > 0 ? args : null;
}

const log = (m: string) => process.stderr.write(`[probe ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

async function probe({ rates, seconds, cpuProfile, traceRatio }: ProbeArgs): Promise<void> {
  const runId = `probe${Date.now().toString(36)}`;
  const logDir = path.join(os.tmpdir(), `hookline-bench-${runId}`);
  const spans = traceRatio > 0 ? await startOtlpReceiver() : null;
  const tracing = spans ? { endpoint: spans.url, sampleRatio: traceRatio } : undefined;
  const stack = await startStack(runId, log, { logDir, cpuProfile, tracing });
  const workers: Worker[] = [];
  let ticker: NodeJS.Timeout | undefined;
  try {
    const load = await startLoadWorkers(workers);
    const { receiver, generator, receiverUrl } = load;
    const tracker = new ProcessTracker([...serviceGroups(stack, load), ...infrastructureGroups(stack)]);
    ticker = setInterval(() => tracker.tick(), 1000);
    const ctx: RunContext = {
      commandUrl: stack.services['command-service'].url, generator, receiver, ledger: new Ledger(), tracker, intervals: [],
      generatorConnections: PROFILES.full.generatorConnections, nextSeq: 1, intervalStart: wallMs(), log,
      projectionBacklog: projectionBacklog(stack.services['query-service'].url),
    };
    markInterval(ctx, 'start-up');
    // The full run's main tenants and generator connections.
    const full = PROFILES.full;
    const tenants = await createMainTenants(ctx.commandUrl, receiverUrl, full.mainTenants, full.endpointsPerTenant);
    for (const t of tenants) ctx.ledger.addTenant(t);
    await runLoad(ctx, 'warm-up', [{ rate: 40, tenants }], { durationMs: 3000, drainMs: 30_000 });
    // The services' hot paths are not compiled yet after 3 s at 40 msg/s: a probe that went straight to 500–700 msg/s
    // measured the JIT (p99 500–900 ms, against 39–62 ms once warm). Half the highest rate for 5 s first, when it is high.
    const top = Math.max(...rates);
    if (top > 100) await runLoad(ctx, 'warm-up', [{ rate: Math.round(top / 2), tenants }], { durationMs: 5000, drainMs: 30_000 });

    process.stdout.write('| msg/s | deliveries | e2e p50 / p99 | REST p50 / p99 | 202 → delivered p50 / p99 | machine busy / run (cores) | CPU ms per delivery |\n|---|---|---|---|---|---|---|\n');
    stack.toggleCpuProfiles();
    const legs: string[] = [];
    for (const rate of rates) {
      log(`${rate} msg/s for ${seconds} s`);
      forget(spans);
      const r = await runLoad(ctx, `${rate} msg/s`, [{ rate, tenants }], { durationMs: seconds * 1000, drainMs: 20_000 });
      const arrived = r.deliveries.filter((d) => d.arrivedAt !== null).length;
      const cost = cpuPerDelivery(r.cpu, arrived);
      const e2e = summarize(deliveryLatencies(r.deliveries));
      const rest = summarize(r.restLatencies);
      const accepted = summarize(deliveryLatencies(r.deliveries, 'accepted'));
      const total = Object.values(cost.cpuMsPerDelivery).reduce((a, b) => a + b, 0);
      const each = Object.entries(cost.cpuMsPerDelivery).map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(' · ');
      process.stdout.write(`| ${rate} | ${arrived} of ${r.deliveries.length} | ${e2e.p50.toFixed(1)} / ${e2e.p99.toFixed(1)} ms | ` +
        `${rest.p50.toFixed(1)} / ${rest.p99.toFixed(1)} ms | ${accepted.p50.toFixed(1)} / ${accepted.p99.toFixed(1)} ms | ${cost.machineBusyCores.toFixed(2)} / ${cost.runBusyCores.toFixed(2)} | ` +
        `**${total.toFixed(2)}**: ${each} |\n`);
      if (spans) legs.push(`\n${rate} msg/s:\n\n${await legTable(spans)}`);
    }
    for (const table of legs) process.stdout.write(table);
    stack.toggleCpuProfiles();
    if (cpuProfile) log(`CPU profiles of the probed rates: ${logDir}/<service>.cpuprofile`);
  } finally {
    if (ticker) clearInterval(ticker);
    for (const w of workers) await w.stop().catch(() => undefined);
    await stack.teardown();
    await spans?.close();
  }
}

function forget(spans: OtlpReceiver | null): void {
  if (!spans) return;
  spans.spans.length = 0;
  spans.rawBodies.length = 0;
}

const LEGS: Record<HopName, string> = {
  accepted: 'request → handed to the producer',
  throughKafka: '… → the dispatcher starts on it (linger, produce, fetch, config check)',
  fannedOut: '… → its attempt starts (fan-out, endpoint slot)',
  attempt: '… → the attempt ends (signing, POST, answer)',
  total: 'whole time in Hookline (the sum)',
  appended: 'of it, the append: linger and produce until acknowledged',
};

/** The sampled deliveries' legs, once the services exported what the load left in their span queues. */
async function legTable(spans: OtlpReceiver): Promise<string> {
  await sleep(2000);
  const hops = deliveryHops(spans.spans);
  const rows = summarizeHops(hops).map(({ hop, all, slowestMean }) =>
    `| ${LEGS[hop]} | ${all.p50.toFixed(1)} | ${all.p90.toFixed(1)} | ${all.p99.toFixed(1)} | ${all.max.toFixed(1)} | ${slowestMean.toFixed(1)} |`);
  return `Legs of ${hops.length} traced deliveries, ms:\n\n| leg | p50 | p90 | p99 | max | mean of the slowest 1 % |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`;
}

const args = parseArgs(process.argv.slice(2));
if (!args) {
  process.stderr.write(`usage: bench/src/probe.ts [--rates 1,20,60] [--seconds 15] [--cpu-prof] [--trace 0.1] (got "${process.argv.slice(2).join(' ')}")\n`);
  process.exit(2);
}
probe(args).then(() => process.exit(0), (err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
