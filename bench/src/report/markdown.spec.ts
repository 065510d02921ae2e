import type { RawPgResult } from '../baselines/raw-pg';
import type { BenchReport } from './bench-report';
import type { DrainResult } from '../scenario/dispatch-drain';
import { figures, rawHttpPerSecond, rawPgRowsPerSecond } from './markdown';

const pg = (rowsPerSecond: number): RawPgResult => ({ rowsPerSecond, rows: rowsPerSecond * 8, seconds: 8, batchRows: 500 });
const baselines = (rawPg: RawPgResult | null, rawPgAfter?: RawPgResult | null) =>
  ({ rawHttp: null, rawPg, rawPgAfter, bullmq: null, ingest: { status: 'failed', note: 'not run' } }) as BenchReport['baselines'];

describe('the rebuild ratio\'s raw pg baseline', () => {
  it('is the mean of the run before the load and the run after the rebuild, so drift over the run counts both ways', () => {
    expect(rawPgRowsPerSecond(baselines(pg(17_000), pg(21_000)))).toBe(19_000);
  });

  it('is the one run there is when the other failed or, in runs recorded before it existed, was never made', () => {
    expect(rawPgRowsPerSecond(baselines(pg(17_000)))).toBe(17_000);
    expect(rawPgRowsPerSecond(baselines(pg(17_000), null))).toBe(17_000);
    expect(rawPgRowsPerSecond(baselines(null, pg(21_000)))).toBe(21_000);
    expect(rawPgRowsPerSecond(baselines(null, null))).toBeNull();
  });
});

describe('the raw undici baseline of the delivery ratios', () => {
  const raw = (requestsPerSecond: number) => ({ requestsPerSecond, errors: 0, total: requestsPerSecond * 8 });
  const withRaw = (before: ReturnType<typeof raw> | null, after?: ReturnType<typeof raw> | null) =>
    ({ ...baselines(null), rawHttp: before, rawHttpAfter: after }) as BenchReport['baselines'];

  it('is the better of the runs before the load and after the drains, so a run caught while the machine was slow cannot flatter Hookline', () => {
    expect(rawHttpPerSecond(withRaw(raw(11_000), raw(21_000)))).toBe(21_000);
    expect(rawHttpPerSecond(withRaw(raw(21_000), raw(11_000)))).toBe(21_000);
  });

  it('is the one run there is when the other failed or was never made', () => {
    expect(rawHttpPerSecond(withRaw(raw(11_000)))).toBe(11_000);
    expect(rawHttpPerSecond(withRaw(null, raw(21_000)))).toBe(21_000);
    expect(rawHttpPerSecond(withRaw(null, null))).toBeNull();
  });
});

describe('the drain figures', () => {
  const drain = (deliveredPerSecond: number): DrainResult => ({
    messages: 1000, deliveries: 2000, arrived: 2000, deliveredPerSecond, drainSeconds: 1, cpuMsPerDelivery: {}, machineBusyCores: 1, dispatcherCounters: {},
  });
  const report = (frozen: DrainResult | null, restarted: DrainResult | null | undefined) => ({
    baselines: { ...baselines(pg(20_000)), rawHttp: { requestsPerSecond: 10_000 } },
    search: { steps: [], maxMessagesPerSecond: null, maxDeliveredPerSecond: null },
    projection: { rebuild: null },
    latency: { half: null, high: null },
    readModelLag: null,
    isolation: null,
    cpuPerDelivery: null,
    profile: { endpointsPerTenant: 2 },
    drain: frozen,
    drainRestarted: restarted,
  }) as unknown as BenchReport;
  const rows = (r: BenchReport) => figures(r).filter((f) => f.figure.includes('draining a backlog') || f.figure.includes('after a restart'));

  it('holds the frozen dispatcher\'s drain against the aim and shows the restarted one beside it, with no target', () => {
    const [frozen, restarted] = rows(report(drain(3_000), drain(2_000)));
    expect(frozen).toMatchObject({ value: '3,000', ratio: '0.300', target: '≥ 0.25', met: true });
    expect(restarted).toMatchObject({ value: '2,000', ratio: '0.200', target: '–', met: null });
  });

  it('holds the drain against the better raw undici run', () => {
    const r = report(drain(3_000), null);
    r.baselines.rawHttpAfter = { requestsPerSecond: 20_000, errors: 0, total: 160_000 };
    expect(rows(r)[0]).toMatchObject({ ratio: '0.150', met: false });
  });

  it('marks a drain under the aim as missed, and a drain that did not run (or a run recorded before the second drain) as unknown', () => {
    const [frozen, restarted] = rows(report(drain(2_000), undefined));
    expect(frozen).toMatchObject({ ratio: '0.200', met: false });
    expect(restarted).toMatchObject({ value: '–', met: null });
    expect(rows(report(null, null))[0]).toMatchObject({ value: '–', met: null });
  });
});
