import type { RawPgResult } from '../baselines/raw-pg';
import type { BenchReport } from './bench-report';
import { rawPgRowsPerSecond } from './markdown';

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
