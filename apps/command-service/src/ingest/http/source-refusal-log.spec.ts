import { Envelope } from '@hookline/contracts';
import { createLogger } from '@hookline/observability';
import { SourceRefusalLog } from './source-refusal-log';

const TENANT = 'tnt_01M8V91QR878JJN0DK4PZDHMKF';
const refusal = { status: 401, outcome: 'unauthenticated', reason: 'no_matching_signature', detail: 'signature did not verify' };
const request = () => ({ receivedAt: new Date(), method: 'POST', headers: {}, query: new URLSearchParams(), body: Buffer.from('{}') });

function setup(perMinute: number) {
  let now = 1_000_000;
  const appended: Array<{ event: Envelope; key: string }> = [];
  const log = new SourceRefusalLog({ append: async (event, key) => void appended.push({ event, key }) as never }, perMinute,
    createLogger({ service: 'test', level: 'silent' }), () => now);
  return { log, appended, advance: (ms: number) => void (now += ms) };
}

describe('SourceRefusalLog', () => {
  it('records up to its rate per source and minute, then counts, and the next recorded one carries the count', () => {
    const { log, appended, advance } = setup(2);
    for (let i = 0; i < 5; i++) log.record(TENANT, 'src_a', null, request(), refusal);
    log.record(TENANT, 'src_b', null, request(), refusal); // its own minute
    expect(appended.map((a) => [(a.event.data as { source_id: string }).source_id, (a.event.data as { not_recorded: number }).not_recorded]))
      .toEqual([['src_a', 0], ['src_a', 0], ['src_b', 0]]);
    expect(appended[0]).toMatchObject({ key: TENANT, event: { type: 'source.request_refused.v1', tenant_id: TENANT, source: 'command-service' } });

    advance(60_000);
    log.record(TENANT, 'src_a', null, request(), refusal);
    expect((appended[3].event.data as { not_recorded: number }).not_recorded).toBe(3);
    log.record(TENANT, 'src_a', null, request(), refusal);
    expect((appended[4].event.data as { not_recorded: number }).not_recorded).toBe(0);
  });

  it('records nothing at 0, and a failed append neither throws nor holds up the caller', async () => {
    const { log, appended } = setup(0);
    log.record(TENANT, 'src_a', null, request(), refusal);
    expect(appended).toEqual([]);
    const failing = new SourceRefusalLog({ append: () => Promise.reject(new Error('broker down')) }, 5, createLogger({ service: 'test', level: 'silent' }));
    expect(() => failing.record(TENANT, 'src_a', null, request(), refusal)).not.toThrow();
    await new Promise((r) => setImmediate(r)); // the rejection is handled (jest fails on an unhandled one)
  });
});
