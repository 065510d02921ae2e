// `npm run bench:validation`: what validating one publish request costs the command service, by payload size.
//
// The publish DTO (PublishMessageRequest) through Hookline's pipe (createValidationPipe, which validates it as sent:
// ShallowDto) and through Nest's stock ValidationPipe with the same rules, which copies and walks the whole payload.
// The baseline is what any JSON API pays for the same body anyway: JSON.parse of its text. One process, one thread,
// interleaved rounds, the median of each; figures are µs per request and ratios to the baseline.
import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { createValidationPipe } from '@hookline/service-kit';
// The benchmark measures the service's own DTO: there is no lib that exposes it, by design.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { PublishMessageRequest } from '../apps/command-service/src/commands/publish-message/publish-message.request.dto';
import { median } from './src/measure/stats';
import { payloadJson } from './src/scenario/payload';

const ROUNDS = 7;
const PER_ROUND = 4000;
const META = { type: 'body' as const, metatype: PublishMessageRequest, data: '' };

/** The bench's 1 KB order payload, and the same order with `lines` more order lines (about 50 bytes each). */
function bodyText(lines: number): string {
  const payload = JSON.parse(payloadJson(1)) as { lines: unknown[] };
  for (let i = 0; i < lines; i++) payload.lines.push({ sku: `sku_${4000 + i}`, qty: 1 + (i % 7), unit_amount: 100 + i });
  return JSON.stringify({ event_type: 'order.created', payload, channels: ['eu'] });
}

async function usPerRequest(texts: string[], work: (body: unknown) => unknown): Promise<number> {
  const bodies = texts.map((t) => JSON.parse(t) as unknown);
  const started = process.hrtime.bigint();
  for (const body of bodies) await work(body);
  return Number(process.hrtime.bigint() - started) / 1000 / bodies.length;
}

function parseUs(texts: string[]): number {
  const started = process.hrtime.bigint();
  for (const t of texts) JSON.parse(t);
  return Number(process.hrtime.bigint() - started) / 1000 / texts.length;
}

async function main(): Promise<void> {
  const hookline = createValidationPipe();
  const stock = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, transform: true });
  const rows: string[] = [];
  for (const lines of [0, 150, 400]) {
    const text = bodyText(lines);
    const texts = Array.from({ length: PER_ROUND }, () => text);
    const runs: Record<'parse' | 'hookline' | 'stock', number[]> = { parse: [], hookline: [], stock: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // The first round warms the JIT for all three and is not counted.
      const parse = parseUs(texts);
      const ours = await usPerRequest(texts, (b) => hookline.transform(b, META));
      const theirs = await usPerRequest(texts, (b) => stock.transform(b, META));
      if (round === 0) continue;
      runs.parse.push(parse);
      runs.hookline.push(ours);
      runs.stock.push(theirs);
    }
    const [parse, ours, theirs] = [median(runs.parse), median(runs.hookline), median(runs.stock)];
    rows.push(`| ${(text.length / 1024).toFixed(1)} KB | ${parse.toFixed(1)} | ${ours.toFixed(1)} (${(ours / parse).toFixed(2)}×) | ${theirs.toFixed(1)} (${(theirs / parse).toFixed(2)}×) |`);
  }
  process.stdout.write([
    '| publish body | JSON.parse (baseline), µs | Hookline pipe, µs (× baseline) | stock ValidationPipe, µs (× baseline) |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'));
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
