import type { BenchReport, LatencyReport } from './bench-report';
import { LatencySummary, round } from '../measure/stats';
import type { RawPgResult } from '../baselines/raw-pg';
import type { DrainResult } from '../scenario/dispatch-drain';

const num = (n: number | null | undefined, digits?: number): string => {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  if (digits !== undefined) return n.toFixed(digits);
  return round(n).toLocaleString('en-US');
};
const ms = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '–' : `${num(n)} ms`);
const lat = (s: LatencySummary | null | undefined): string => (s && s.count ? `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}` : '–');
// undefined: a run from before phases waited for the read models; null: they had not caught up within the bound.
const catchUp = (n: number | null | undefined): string => (n === undefined ? '–' : n === null ? 'not caught up' : `${num(n / 1000, 1)} s`);
const mib = (b: number): string => `${Math.round(b / 2 ** 20)} MiB`;
const ratio = (a: number | null | undefined, b: number | null | undefined): number | null => (a && b ? a / b : null);
const check = (ok: boolean | null): string => (ok === null ? '–' : ok ? '✅ met' : '❌ not met');

export interface Target {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null;
}

/**
 * Raw undici POSTs/s for the delivery ratios: the better of the runs before the load and after the drains (older runs:
 * the first only), so a baseline caught while the machine was slow cannot flatter Hookline.
 */
export function rawHttpPerSecond(b: BenchReport['baselines']): number | null {
  const runs = [b.rawHttp, b.rawHttpAfter].flatMap((x) => (x ? [x.requestsPerSecond] : []));
  return runs.length ? Math.max(...runs) : null;
}

/** How rawHttpPerSecond came about, for the baseline columns. */
function rawHttpText(b: BenchReport['baselines']): string {
  const best = num(rawHttpPerSecond(b));
  return b.rawHttp && b.rawHttpAfter ? `${best} (the better of ${num(b.rawHttp.requestsPerSecond)} before the load and ${num(b.rawHttpAfter.requestsPerSecond)} after the drains)` : best;
}

/** Raw pg rows/s for the rebuild's ratio: the mean of the runs before the load and after the rebuild (older runs: the first only). */
export function rawPgRowsPerSecond(b: BenchReport['baselines']): number | null {
  const runs = [b.rawPg, b.rawPgAfter].filter((x): x is RawPgResult => !!x);
  return runs.length ? runs.reduce((sum, x) => sum + x.rowsPerSecond, 0) / runs.length : null;
}

/** The figures of a passed run against the targets of issue 7. */
export function figures(r: BenchReport): Target[] {
  const b = r.baselines;
  const maxDelivered = r.search.maxDeliveredPerSecond;
  const raw = rawHttpPerSecond(b);
  const vsRaw = ratio(maxDelivered, raw);
  const vsBull = ratio(maxDelivered, b.bullmq?.deliveredPerSecond);
  const ingest = b.ingest;
  const proj = r.projection.rebuild?.eventsPerSecond ?? null;
  const pg = rawPgRowsPerSecond(b);
  const vsPg = ratio(proj, pg);
  const half = r.latency.half;
  const high = r.latency.high;
  const lag = r.readModelLag?.lagMs ?? null;
  const best = r.search.steps.find((s) => s.sustainable && s.messagesPerSecond === r.search.maxMessagesPerSecond);
  const latRow = (l: LatencyReport | null, label: string, target: string, limit: number | null): Target => ({
    figure: `${label}: p50 / p99 / max, scheduled send → first byte`,
    value: lat(l?.endToEnd),
    baseline: l ? `${num(l.messagesPerSecond)} msg/s = ${num(l.offeredPerSecond)} deliveries/s offered` : '–',
    ratio: '',
    target,
    met: limit === null || !l ? null : l.endToEnd.p99 < limit,
  });
  /** `aim`: the ratio to raw undici the drain should reach; null for a row shown without one. */
  const drainRow = (label: string, d: DrainResult | null, aim: number | null): Target => {
    const vs = ratio(d?.deliveredPerSecond ?? null, raw);
    return {
      figure: label,
      value: d ? num(d.deliveredPerSecond) : '–',
      baseline: d ? `${num(d.arrived)} of ${num(d.deliveries)} deliveries in ${num(d.drainSeconds, 1)} s; raw undici POSTs/s: ${num(raw)}` : '–',
      ratio: num(vs, 3),
      target: aim === null ? '–' : `≥ ${aim}`,
      met: aim === null || !d ? null : (vs ?? 0) >= aim,
    };
  };
  return [
    {
      figure: 'Delivered/s, max sustainable (backlog flat and short)',
      value: num(maxDelivered),
      baseline: `raw undici POSTs/s: ${rawHttpText(b)}`,
      ratio: num(vsRaw, 3),
      target: '≥ 0.25',
      met: vsRaw === null ? null : vsRaw >= 0.25,
    },
    drainRow('Delivered/s, the dispatcher draining a backlog (one process, like the raw baseline; query service paused)', r.drain, 0.25),
    drainRow('… same, right after a restart (V8 still compiling its code)', r.drainRestarted ?? null, null),
    {
      figure: '… same, against the conventional design',
      value: best ? `at ${num(best.messagesPerSecond)} msg/s × ${r.profile.endpointsPerTenant} endpoints` : '–',
      baseline: `BullMQ + undici worker delivered/s: ${num(b.bullmq?.deliveredPerSecond)}`,
      ratio: num(vsBull, 3),
      target: '–',
      met: null,
    },
    {
      figure: 'CPU per delivery, every process of the design (generator and receiver included)',
      value: r.cpuPerDelivery?.hookline ? `${num(r.cpuPerDelivery.hookline, 2)} ms` : '–',
      baseline: `raw POST: ${r.cpuPerDelivery?.rawHttp ? `${num(r.cpuPerDelivery.rawHttp, 3)} ms` : '–'}; BullMQ: ${r.cpuPerDelivery?.bullmq ? `${num(r.cpuPerDelivery.bullmq, 3)} ms` : '–'}`,
      ratio: r.cpuPerDelivery?.hookline && r.cpuPerDelivery.rawHttp
        ? `${num(r.cpuPerDelivery.rawHttp / r.cpuPerDelivery.hookline, 3)} (raw) · ${r.cpuPerDelivery.bullmq ? num(r.cpuPerDelivery.bullmq / r.cpuPerDelivery.hookline, 3) : '–'} (BullMQ)`
        : '–',
      target: '–',
      met: null,
    },
    {
      figure: 'REST accepted/s',
      value: ingest.status === 'ok' ? `${num(ingest.restAcceptedPerSecond)} (small schema: ${num(ingest.restValidatedPerSecond)})` : `TODO (${ingest.status})`,
      baseline: `raw kafkajs producer (acks=-1) msg/s: ${ingest.status === 'ok' ? num(ingest.rawProducerPerSecond) : '–'}`,
      ratio: ingest.status === 'ok' ? num(ingest.ratio, 3) : '–',
      target: '≥ 0.6',
      met: ingest.status === 'ok' && ingest.ratio !== undefined ? ingest.ratio >= 0.6 : null,
    },
    latRow(half, 'Latency at 50 % of max', 'p99 < 25 ms', 25),
    latRow(high, 'Latency at 80 % of max', '–', null),
    {
      figure: 'Fast endpoint next to a saturated 250 ms endpoint, delivered/s',
      value: r.isolation ? `${num(r.isolation.mixedDeliveredPerSecond)} (alone: ${num(r.isolation.soloDeliveredPerSecond)})` : '–',
      baseline: r.isolation ? `p99 ${ms(r.isolation.mixedP99Ms)} (alone: ${ms(r.isolation.soloP99Ms)})` : '–',
      ratio: num(r.isolation?.ratio, 3),
      target: '–',
      met: null,
    },
    {
      figure: 'Projected events/s (read-model rebuild from the log)',
      value: num(proj),
      baseline: `raw pg multi-row inserts rows/s: ${num(pg)}${b.rawPg && b.rawPgAfter ? ` (mean of ${num(b.rawPg.rowsPerSecond)} before the load and ${num(b.rawPgAfter.rowsPerSecond)} after the rebuild)` : ''}`,
      ratio: num(vsPg, 3),
      target: '≥ 0.5',
      met: vsPg === null ? null : vsPg >= 0.5,
    },
    {
      figure: 'Read-model lag at 80 % of max: p50 / p99 / max (delivered → row `succeeded`)',
      value: lat(lag),
      baseline: r.readModelLag ? `${r.readModelLag.samples} sampled deliveries; max unprojected records ${num(r.readModelLag.maxRecordLag)}` : '–',
      ratio: '',
      target: 'p99 < 1 s',
      met: lag ? lag.p99 < 1000 : null,
    },
  ];
}

/** The Markdown summary of a run; a run that failed the integrity gate reports no speed. */
export function renderMarkdown(r: BenchReport, files: Record<string, string>): string {
  const out: string[] = [];
  const g = r.gate;
  out.push(`# Hookline benchmark — ${r.runId} (${r.profile.name})`, '');
  out.push(`${g.passed ? '✅ **Integrity gate passed**' : '❌ **Integrity gate FAILED — no speed is reported for this run**'}: ` +
    `${num(g.expectedDeliveries)} expected deliveries = ${num(g.delivered)} delivered + ${num(g.deadLettered)} dead-lettered + ` +
    `${num(g.inFlight)} in flight at cut-off (${num(g.inFlightParked)} parked, ${num(g.inFlightUncommitted)} not yet committed) + ` +
    `**${num(g.lost)} lost**; ${num(g.duplicates)} duplicates, ${num(g.unexpected)} unexpected; ${num(g.publishedMessages)} messages published.`, '');
  if (!g.passed) {
    out.push('Why:', '', ...g.failures.map((f) => `- ${f}`), '');
    if (g.lostSample.length) out.push(`Lost deliveries (endpoint|message), first ${g.lostSample.length}: ${g.lostSample.map((k) => `\`${k}\``).join(', ')}`, '');
    out.push(`Service logs: \`${r.serviceLogs}\``, '');
    if (r.errors.length) out.push('Other problems:', '', ...r.errors.map((e) => `- ${e}`), '');
    return out.join('\n');
  }

  out.push(`${r.machine.cores} cores (${r.machine.cpuModel}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; ` +
    `load average at start ${r.machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' / ')}; run took ${num(r.durationSeconds)} s. ` +
    'Every figure comes from this one run on this machine; compare ratios, not absolute numbers, across machines.', '');

  const load = r.processes.intervals.filter((i) => /^(search|latency|isolation)/.test(i.name));
  const loadSeconds = load.reduce((t, i) => t + (i.to - i.from) / 1000, 0);
  const otherCores = loadSeconds > 0
    ? load.reduce((t, i) => t + i.machineBusySeconds - i.groups.reduce((u, g) => u + g.cpuSeconds, 0), 0) / loadSeconds
    : 0;
  if (otherCores > 0.25) {
    out.push(`⚠️ Other work on the machine used ${otherCores.toFixed(2)} of ${r.machine.cores} cores on average during the load phases: ` +
      'Hookline\'s absolute figures (and ratios to baselines measured at other moments) are depressed by it.', '');
  }

  out.push('## Figures', '', '| figure | value | baseline / context | ratio | target | |', '|---|---|---|---|---|---|');
  for (const t of figures(r)) out.push(`| ${t.figure} | ${t.value} | ${t.baseline} | ${t.ratio} | ${t.target} | ${check(t.met)} |`);
  out.push('', 'Ratios are Hookline ÷ baseline, except CPU per delivery (baseline ÷ Hookline: 1 would be as cheap as the baseline). ' +
    'CPU per delivery depends less on other work on the machine than throughput does, but Hookline\'s falls as its rate rises ' +
    '(fixed costs per Kafka fetch, produce and Postgres transaction are shared by more deliveries), so a run squeezed by other work ' +
    'also shows a higher cost. ' +
    `Hookline's CPU counts ${r.cpuPerDelivery?.hooklineProcesses.join(', ') ?? '–'} over the best search step; the Kafka broker is ` +
    'shared, so other users of it add to that figure.', '');

  out.push('## Processes', '', 'CPU seconds during the load phases (rate search, latency, isolation) and over the whole run; peak RSS. ' +
    'Shared processes (Kafka broker, Redis) count only what they used during the run, including other users of the machine. ' +
    'Postgres backends\' RSS includes the shared buffers each one touched, so their sum overstates memory.', '',
    '| process | CPU s, load phases | CPU s, whole run | CPU ms per delivery at max | peak RSS |', '|---|---|---|---|---|');
  const best = r.search.steps.find((s) => s.sustainable && s.messagesPerSecond === r.search.maxMessagesPerSecond);
  for (const t of r.processes.totals) {
    const load = r.processes.loadPhaseCpu.find((l) => l.name === t.name)?.cpuSeconds ?? 0;
    out.push(`| ${t.name} | ${num(load, 1)} | ${num(t.cpuSeconds, 1)} | ${best ? num(best.cpuMsPerDelivery[t.name], 2) : '–'} | ${mib(t.peakRssBytes)} |`);
  }
  if (r.projection.rebuild?.cpuSeconds) {
    out.push(`| query-service rebuild (replay.ts) | – | ${num(r.projection.rebuild.cpuSeconds, 1)} | – | ${mib(r.projection.rebuild.peakRssBytes ?? 0)} |`);
  }
  out.push('');

  out.push('## Rate search', '', `Each step offers a constant rate for ${r.profile.stepMs / 1000} s; it is sustainable when the backlog ` +
    '(deliveries scheduled − deliveries arrived) grows by less than 5 % of the work offered in the second half (or 250 ms of it), ' +
    'less than 1 s of work is waiting at the end, and publishes succeed. The max is the offered rate of the best sustainable step; ' +
    '"delivered/s" is measured over each step\'s second half. "machine busy" is the whole machine in cores; "run" is what this ' +
    'run\'s processes used (the rest is other work on the machine). A step (like every load phase) ends once its deliveries arrived ' +
    'and the read models caught up ("caught up": how long after the drain), so the next one starts on a settled machine and each ' +
    'is charged the CPU of its own projection.', '',
    '| msg/s | deliveries/s offered | delivered/s | backlog mid → end | p99 e2e | p99 REST | machine busy / run (cores) | caught up | verdict |',
    '|---|---|---|---|---|---|---|---|---|');
  for (const s of r.search.steps) {
    out.push(`| ${num(s.messagesPerSecond)} | ${num(s.offeredPerSecond)} | ${num(s.deliveredPerSecond)} | ${num(s.backlogAtMid)} → ${num(s.backlogAtEnd)} | ` +
      `${ms(s.latencyP99Ms)} | ${ms(s.restP99Ms)} | ${num(s.machineBusyCores, 2)} / ${num(s.runBusyCores, 2)} | ${catchUp(s.readModelCatchUpMs)} | ${s.sustainable ? 'sustainable' : `not: ${s.reasons.join('; ')}`} |`);
  }
  out.push('');

  out.push('## Latency', '', '| load | deliveries | e2e p50 / p99 / max | REST 202 p50 / p99 / max | 202 → delivered p50 / p99 / max | generator lateness p99 | read models caught up |', '|---|---|---|---|---|---|---|');
  for (const l of [r.latency.half, r.latency.high]) {
    if (!l) continue;
    out.push(`| ${Math.round(l.fractionOfMax * 100)} % (${num(l.messagesPerSecond)} msg/s) | ${num(l.delivered)} of ${num(l.expected)} | ${lat(l.endToEnd)} | ${lat(l.rest)} | ${lat(l.acceptedToDelivered)} | ${ms(l.generatorLag.p99)} | ${catchUp(l.readModelCatchUpMs)} |`);
  }
  const pauses = r.latency.half?.servicePauses ?? [];
  if (pauses.length) {
    out.push('', 'What stalled the services during the 50 % phase (their own /metrics, the phase\'s drain included): ' + pauses.map((p) =>
      `${p.service} event-loop delay p99 ${ms(p.loopDelayP99Ms)} (max ${ms(p.loopDelayMaxMs)}), ${num(p.scavenges)} scavenges ` +
      `(mean ${ms(p.scavengeMeanMs)}, ${num(p.scavengesOver10ms)} of 10 ms or more), ${num(p.majorGcs)} full GCs (mean ${ms(p.majorGcMeanMs)})`).join('; ') + '.');
  }
  if (r.isolation) {
    const i = r.isolation;
    out.push('', `Isolation: the fast endpoint was offered ${num(i.fastRate)} msg/s alone, then next to a 250 ms endpoint (max_in_flight ${i.slowMaxInFlight}, ` +
      `so it can take ${num((i.slowMaxInFlight * 1000) / 250)}/s) offered ${num(i.slowRate)} msg/s; the slow endpoint got ${num(i.slowDeliveredPerSecond)}/s.`);
  }
  if (r.readModelLag) {
    out.push('', `Read-model lag: every 10th message of the 80 % phase was looked up in the query service's \`deliveries\` table every ` +
      `${r.readModelLag.pollMs} ms (so each lag is high by up to one poll); ${r.readModelLag.unseen} samples were never seen succeeded.`);
  }
  out.push('');

  out.push('## Baselines (same run, same receiver)', '', '| baseline | figure |', '|---|---|',
    `| raw \`undici.request\` POSTs, ${r.profile.concurrency} in flight, 1 KB JSON | ${num(r.baselines.rawHttp?.requestsPerSecond)}/s (${num(r.baselines.rawHttp?.errors)} errors)${r.baselines.rawHttpAfter ? `; after the drains ${num(r.baselines.rawHttpAfter.requestsPerSecond)}/s (${num(r.baselines.rawHttpAfter.errors)} errors)` : ''} |`,
    `| BullMQ on local Redis, producer process + undici worker process (concurrency ${r.profile.concurrency}, HMAC-signed) | ${num(r.baselines.bullmq?.deliveredPerSecond)} delivered/s |`,
    `| raw \`pg\` multi-row INSERT, ${r.baselines.rawPg?.batchRows ?? '–'} rows per transaction, one connection | ${num(r.baselines.rawPg?.rowsPerSecond)} rows/s${r.baselines.rawPgAfter ? `; after the rebuild ${num(r.baselines.rawPgAfter.rowsPerSecond)} rows/s` : ''} |`,
    `| raw kafkajs producer, idempotent, acks=-1, one record per send (bench/ingest.bench.ts) | ${r.baselines.ingest.status === 'ok' ? `${num(r.baselines.ingest.rawProducerPerSecond)} msg/s` : r.baselines.ingest.note} |`,
    ...(r.baselines.ingest.status === 'ok' ? [`| the command service's BatchingProducer without HTTP (diagnostic ceiling for REST) | ${num(r.baselines.ingest.batchingProducerPerSecond)} msg/s |`] : []), '');

  if (r.cpuProfiles && Object.keys(r.cpuProfiles).length) {
    out.push('## Where the time goes (CPU profiles of the rate search and latency phases)', '',
      'This run profiled the services (`--cpu-prof`), which slows them: use its throughput figures with care.', '');
    for (const [service, p] of Object.entries(r.cpuProfiles)) {
      out.push(`### ${service} — ${num(p.totalMs / 1000, 1)} CPU s sampled`, '', '| time by owner (node internals and native code charged to their caller) | share |', '|---|---|',
        ...p.byOwner.map((o) => `| \`${o.owner}\` | ${num(o.share * 100, 1)} % |`), '',
        '| function (self time) | share |', '|---|---|', ...p.topFunctions.map((f) => `| \`${f.fn}\` | ${num(f.share * 100, 1)} % |`), '');
    }
  }
  out.push('## Charts', '', `![throughput over time](${files.throughput})`, '', `![latency CDF](${files.latency})`, '');
  if (r.errors.length) out.push('## Problems noticed during the run', '', ...r.errors.map((e) => `- ${e}`), '');
  out.push(`Raw data: [${files.json}](${files.json}). Re-render with \`node -r @swc-node/register bench/src/render.ts bench/results/${files.json}\`.`, '');
  return out.join('\n');
}
