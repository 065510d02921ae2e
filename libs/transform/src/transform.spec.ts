import { TRANSFORMATION_MAX_LENGTH, TransformationError, TransformationRunner, transformationProblem } from './index';

const body = { type: 'invoice.paid', timestamp: '2026-12-01T00:00:00.000Z', data: { id: 'inv_1', amount: 4200, lines: [{ sku: 'a' }, { sku: 'b' }] } };

describe('transformationProblem', () => {
  it('accepts a JSONata expression and says where one that is not fails', () => {
    expect(transformationProblem('{ "text": "Invoice " & data.id & " paid" }')).toBeNull();
    expect(transformationProblem('data.lines[sku = "a"]')).toBeNull();
    expect(transformationProblem('{ "text": data.id ')).toMatch(/^is not a JSONata expression at character \d+: /);
    expect(transformationProblem('   ')).toMatch(/must be a JSONata expression/);
    expect(transformationProblem(`"${'x'.repeat(TRANSFORMATION_MAX_LENGTH)}"`)).toMatch(/at most 16384 characters/);
  });
});

describe('TransformationRunner', () => {
  let runner: TransformationRunner;
  beforeEach(() => {
    runner = new TransformationRunner({ threads: 2, timeoutMs: 500, maxMemoryMb: 32, maxResultBytes: 4096 });
  });
  afterEach(() => runner.close());

  const run = async (expression: string, bindings?: Record<string, unknown>) => JSON.parse((await runner.run(expression, body, bindings)).toString('utf8'));

  it('turns the webhook body into the body the expression makes, with the bindings it is given', async () => {
    expect(await run('{ "text": "Invoice " & data.id & " paid: " & $string(data.amount / 100), "skus": data.lines.sku, "id": $message_id }',
      { message_id: 'msg_1' })).toEqual({ text: 'Invoice inv_1 paid: 42', skus: ['a', 'b'], id: 'msg_1' });
    expect(await run('data.amount')).toBe(4200);
    expect(runner.workers).toBe(1);
  });

  it('fails a run whose expression errs, gives nothing or gives too much, and keeps serving the next', async () => {
    await expect(runner.run('$number("abc") + $undefinedFunction()', body)).rejects.toThrow(TransformationError);
    await expect(runner.run('data.nothing', body)).rejects.toThrow('it gave no result for this message');
    await expect(runner.run('$pad("", 5000, "x")', body)).rejects.toThrow('its result is larger than 4096 bytes');
    expect(await run('type')).toBe('invoice.paid');
  });

  it('stops an expression that runs past its deadline, and only that one', async () => {
    const endless = '( $loop := function($n) { $n < 0 ? $n : $loop($n + 1) }; $loop(0) )';
    const started = Date.now();
    const results = await Promise.allSettled([runner.run(endless, body), runner.run('data.id', body)]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: new TransformationError('it ran longer than 500 ms') });
    expect(results[1]).toEqual({ status: 'fulfilled', value: Buffer.from('"inv_1"') });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await run('data.lines[1].sku')).toBe('b');
  });

  it('stops an expression that needs more memory than a worker has, without harming the process', async () => {
    const hog = '( $grow := function($a, $n) { $n = 0 ? $count($a) : $grow($append($a, [1..100000]), $n - 1) }; $grow([], 1000) )';
    // A deadline long enough for the heap to fill first.
    const patient = new TransformationRunner({ threads: 1, timeoutMs: 10_000, maxMemoryMb: 32, maxResultBytes: 4096 });
    try {
      const err = await patient.run(hog, body).catch((e: Error) => e);
      expect(err).toEqual(new TransformationError('it needed more than 32 MB'));
      expect((await patient.run('data.id', body)).toString()).toBe('"inv_1"');
      // One allocation far past the limit at once: more than the 16 MB a worker thread gets to stop in, which made V8
      // abort the whole process when transformations ran in threads.
      const oneHugeArray = await patient.run('$count([1..9000000])', body).catch((e: Error) => e);
      expect(oneHugeArray).toEqual(new TransformationError('it needed more than 32 MB'));
      expect((await patient.run('data.id', body)).toString()).toBe('"inv_1"');
    } finally {
      await patient.close();
    }
  });

  it('refuses work once closed', async () => {
    await runner.close();
    await expect(runner.run('data.id', body)).rejects.toThrow('the service is stopping');
  });
});
