import { SearchOptions, SearchStep, bestRate, evaluateStep, nextRate } from '../measure/rate-search';
import { summarize } from '../measure/stats';
import { SearchStepReport } from '../report/bench-report';
import { LoadResult, RunContext, cpuPerDelivery, deliveryLatencies, runLoad } from './load-phase';
import { BenchTenant } from './setup';

export interface RateSearchResult {
  steps: SearchStepReport[];
  /** Messages/s of the best sustainable step (null: none was). */
  best: number | null;
  bestStep: SearchStepReport | undefined;
  /** The best sustainable step's load, for its CPU figures. */
  bestLoad: LoadResult | undefined;
}

/**
 * Searches for the highest constant rate of messages to `tenants` whose backlog stays flat (see measure/rate-search):
 * one open-model step of `stepMs` per rate, each drained for at most `stepDrainMs`. Used for Hookline and for the bare
 * pipeline of bench:floor alike, so both are held to the same verdicts.
 */
export async function searchMaxRate(
  ctx: RunContext,
  tenants: BenchTenant[],
  opts: { search: SearchOptions; stepMs: number; stepDrainMs: number },
): Promise<RateSearchResult> {
  const fanout = tenants[0]?.endpoints.length ?? 0;
  const steps: SearchStepReport[] = [];
  const searchSteps: SearchStep[] = [];
  const stepLoads = new Map<number, LoadResult>();
  for (let rate = nextRate(searchSteps, opts.search); rate !== null; rate = nextRate(searchSteps, opts.search)) {
    const r = Math.round(rate);
    ctx.log(`search: ${r} messages/s (${r * fanout} deliveries/s offered) for ${opts.stepMs / 1000} s`);
    const load = await runLoad(ctx, `search ${r}/s`, [{ rate: r, tenants }], { durationMs: opts.stepMs, drainMs: opts.stepDrainMs });
    const verdict = evaluateStep({
      offeredPerSecond: load.offeredPerSecond,
      startAt: load.startAt,
      endAt: load.endAt,
      deliveries: load.deliveries.map((d) => ({ scheduledAt: d.message.scheduledAt, arrivedAt: d.arrivedAt })),
      publishes: load.scheduled,
      failedPublishes: load.failed,
    });
    const lat = summarize(deliveryLatencies(load.deliveries));
    const arrived = load.deliveries.filter((d) => d.arrivedAt !== null).length;
    steps.push({ ...verdict, messagesPerSecond: r, offeredPerSecond: load.offeredPerSecond, restP99Ms: summarize(load.restLatencies).p99, latencyP99Ms: lat.p99,
      readModelCatchUpMs: load.readModelCatchUpMs,
      ...cpuPerDelivery(load.cpu, arrived) });
    searchSteps.push({ rate: r, sustainable: verdict.sustainable, capacityHint: verdict.deliveredPerSecond / fanout });
    stepLoads.set(r, load);
    ctx.log(`  → ${verdict.sustainable ? 'sustainable' : 'NOT sustainable'}: delivered ${Math.round(verdict.deliveredPerSecond)}/s, p99 ${Math.round(lat.p99)} ms${verdict.reasons.length ? ` (${verdict.reasons.join('; ')})` : ''}`);
  }
  const best = bestRate(searchSteps);
  const bestStep = steps.filter((s) => s.sustainable && s.messagesPerSecond === best)[0];
  return { steps, best, bestStep, bestLoad: bestStep ? stepLoads.get(bestStep.messagesPerSecond) : undefined };
}
