// `npm run bench:transform`: what an endpoint's transformation costs a delivery, and what running it in a worker
// process (libs/transform: a deadline and a heap limit per expression) adds to evaluating it in-process.
//
// For the bench's 1 KB order payload and two expressions (a chat message of a few fields; the whole order reshaped),
// µs per body of: the standard body's JSON.stringify (the baseline: what every delivery pays anyway), JSONata evaluated
// in the process (no isolation), and the TransformationRunner one at a time (latency) and 64 at a time (throughput,
// one worker process, as the dispatcher's default). One process, interleaved rounds, the median of each.
import jsonata from 'jsonata';
import { TransformationRunner, transformationInput } from '@hookline/transform';
import { median } from './src/measure/stats';
import { payloadJson } from './src/scenario/payload';

const ROUNDS = 7;
const PER_ROUND = 2000;
const CONCURRENCY = 64;

const EXPRESSIONS: Record<string, string> = {
  'chat message': '{ "text": "Order " & data.order_id & " paid: " & $formatNumber(data.amount / 100, "#,##0.00") & " " & data.currency, "id": $message_id }',
  'order reshaped': '{ "order": data.order_id, "total_cents": $sum(data.lines.(qty * unit_amount)), "buyer": data.customer.{ "id": id, "country": country }, '
    + '"items": data.lines.{ "sku": sku, "quantity": qty }, "channels": $channels, "attempt": $attempt }',
};

const subject = (seq: number) => ({
  message_id: `msg_${seq}`, event_type: 'order.created', published_at: new Date().toISOString(), payload: JSON.parse(payloadJson(seq)) as unknown,
  channels: ['eu'], endpoint_id: 'ep_bench', attempt: 1,
});

async function usPer(count: number, work: (i: number) => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await work(i);
  return Number(process.hrtime.bigint() - started) / 1000 / count;
}

async function usPerConcurrent(count: number, work: (i: number) => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await work(next++);
  }));
  return Number(process.hrtime.bigint() - started) / 1000 / count;
}

async function main(): Promise<void> {
  const runner = new TransformationRunner({ threads: 1, timeoutMs: 1000, maxMemoryMb: 64, maxResultBytes: 1_048_576 });
  const subjects = Array.from({ length: PER_ROUND }, (_, i) => transformationInput(subject(i)));
  const rows: string[] = [];
  try {
    for (const [name, expression] of Object.entries(EXPRESSIONS)) {
      const compiled = jsonata(expression);
      const runs: Record<'baseline' | 'inProcess' | 'worker' | 'workerConcurrent', number[]> = { baseline: [], inProcess: [], worker: [], workerConcurrent: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const baseline = await usPer(PER_ROUND, (i) => Buffer.from(JSON.stringify(subjects[i].input)));
        const inProcess = await usPer(PER_ROUND, async (i) => Buffer.from(JSON.stringify(await compiled.evaluate(subjects[i].input, subjects[i].bindings))));
        const worker = await usPer(PER_ROUND / 4, (i) => runner.run(expression, subjects[i].input, subjects[i].bindings));
        const workerConcurrent = await usPerConcurrent(PER_ROUND, (i) => runner.run(expression, subjects[i].input, subjects[i].bindings));
        // The first round warms the JIT (and starts the worker) and is not counted.
        if (round === 0) continue;
        runs.baseline.push(baseline);
        runs.inProcess.push(inProcess);
        runs.worker.push(worker);
        runs.workerConcurrent.push(workerConcurrent);
      }
      const [b, p, w, c] = [median(runs.baseline), median(runs.inProcess), median(runs.worker), median(runs.workerConcurrent)];
      const x = (v: number) => `${v.toFixed(1)} (${(v / b).toFixed(1)}×)`;
      rows.push(`| ${name} | ${b.toFixed(1)} | ${x(p)} | ${x(w)} | ${x(c)} · ${Math.round(1e6 / c).toLocaleString('en')}/s |`);
    }
  } finally {
    await runner.close();
  }
  process.stdout.write([
    '| expression (1 KB payload) | standard body, µs (baseline) | JSONata in-process, µs (× baseline) | worker, one at a time, µs | worker, 64 at a time, µs per body · bodies/s |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'));
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
