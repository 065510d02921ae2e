import { MicroBatcher } from './micro-batcher';

type Deferred = { resolve(): void; reject(err: Error): void; promise: Promise<void> };
function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { resolve, reject, promise };
}

/** A send that records its batches and echoes each item doubled, optionally held until released. */
function recordingSend(hold = false) {
  const batches: number[][] = [];
  const gates: Deferred[] = [];
  const send = async (items: number[]) => {
    batches.push(items);
    if (hold) {
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
    }
    return items.map((i) => i * 2);
  };
  return { send, batches, gates };
}

const limits = { lingerMs: 5, maxBatch: 100, maxBytes: Number.MAX_SAFE_INTEGER };

describe('MicroBatcher', () => {
  it('given concurrent adds within the linger window, sends them once and gives each caller its own result', async () => {
    const { send, batches } = recordingSend();
    const batcher = new MicroBatcher(send, limits);

    const results = await Promise.all([1, 2, 3].map((i) => batcher.add(i)));

    expect(batches).toEqual([[1, 2, 3]]);
    expect(results).toEqual([2, 4, 6]);
  });

  it('with lingerMs 0, sends what was added in one turn of the event loop together, before any timer runs', async () => {
    const { send, batches } = recordingSend();
    const batcher = new MicroBatcher(send, { ...limits, lingerMs: 0 });
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);

    const results = [1, 2, 3].map((i) => batcher.add(i));
    await new Promise((r) => setImmediate(r));

    expect(batches).toEqual([[1, 2, 3]]);
    expect(timerRan).toBe(false);
    await expect(Promise.all(results)).resolves.toEqual([2, 4, 6]);
  });

  it('sends as soon as maxBatch items are queued, without waiting for the linger', async () => {
    const { send, batches } = recordingSend();
    const batcher = new MicroBatcher(send, { ...limits, lingerMs: 60_000, maxBatch: 2 });

    await expect(Promise.all([batcher.add(1), batcher.add(2)])).resolves.toEqual([2, 4]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('keeps one send in flight and sends everything that queued meanwhile next, in order', async () => {
    const { send, batches, gates } = recordingSend(true);
    const batcher = new MicroBatcher(send, { ...limits, lingerMs: 0, maxBatch: 3 });

    const first = batcher.add(1);
    await new Promise((r) => setTimeout(r, 5));
    const rest = [2, 3, 4, 5, 6, 7].map((i) => batcher.add(i));
    expect(batches).toEqual([[1]]);

    gates[0].resolve();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1], [2, 3, 4]]);
    gates[1].resolve();
    await new Promise((r) => setImmediate(r));
    gates[2].resolve();

    await expect(Promise.all(rest)).resolves.toEqual([4, 6, 8, 10, 12, 14]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
  });

  it('cuts a batch before it exceeds maxBytes, but sends an oversized item alone', async () => {
    const { send, batches } = recordingSend();
    const batcher = new MicroBatcher(send, { ...limits, maxBytes: 10 }, (n) => n);

    await Promise.all([4, 4, 4, 30, 1].map((i) => batcher.add(i)));

    expect(batches).toEqual([[4, 4], [4], [30], [1]]);
  });

  it('rejects every caller of a failed send, and later sends still work', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>(async (items) => {
      if (fail) throw new Error('broker gone');
      return items;
    }, limits);

    const failed = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason).toEqual(new Error('broker gone'));

    fail = false;
    await expect(batcher.add(3)).resolves.toBe(3);
  });

  it('rejects the batch when send returns the wrong number of results', async () => {
    const batcher = new MicroBatcher<number, number>(async () => [1], limits);
    await expect(Promise.all([batcher.add(1), batcher.add(2)])).rejects.toThrow('1 results for 2 items');
  });

  it('flush sends queued items at once and waits for them', async () => {
    const { send, batches } = recordingSend();
    const batcher = new MicroBatcher(send, { ...limits, lingerMs: 60_000 });
    const pending = batcher.add(7);

    await batcher.flush();

    expect(batches).toEqual([[7]]);
    await expect(pending).resolves.toBe(14);
    expect(batcher.queued).toBe(0);
  });

  describe('lingerWhenBusy', () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Wide margins: a loaded CI machine may stretch a turn of the event loop by tens of milliseconds.
    const busyLimits = { ...limits, lingerMs: 100, lingerWhenBusy: true };
    /** Adds items 1..6, `gapMs` apart, and waits until all were sent. */
    const steadyStream = async (batcher: MicroBatcher<number, number>, gapMs: number) => {
      const added: Array<Promise<number>> = [];
      for (let i = 1; i <= 6; i++) {
        added.push(batcher.add(i));
        await sleep(gapMs);
      }
      await Promise.all(added);
    };

    it('sends items that come further apart than the linger at the end of their turn, without waiting', async () => {
      const { send, batches } = recordingSend();
      const batcher = new MicroBatcher(send, busyLimits);

      for (const i of [1, 2, 3]) {
        const started = performance.now();
        await expect(batcher.add(i)).resolves.toBe(i * 2);
        expect(performance.now() - started).toBeLessThan(60);
        await sleep(600);
      }
      expect(batches).toEqual([[1], [2], [3]]);
    });

    it('lingers once items come closer together than the linger, and gathers the ones that follow', async () => {
      const { send, batches } = recordingSend();
      const batcher = new MicroBatcher(send, busyLimits);
      // A steady stream, 5 ms apart: twenty times closer together than the linger.
      await steadyStream(batcher, 5);
      const sendsBefore = batches.length;

      const started = performance.now();
      const next = batcher.add(10);
      await sleep(5);
      const company = batcher.add(11);
      await expect(Promise.all([next, company])).resolves.toEqual([20, 22]);

      expect(performance.now() - started).toBeGreaterThanOrEqual(95);
      expect(batches.slice(sendsBefore)).toEqual([[10, 11]]);
      // The first item found no average yet and went alone; the stream then gathered.
      expect(batches.length).toBeLessThan(sendsBefore + 6);
    });

    it('stops lingering after one long pause', async () => {
      const { send, batches } = recordingSend();
      const batcher = new MicroBatcher(send, busyLimits);
      await steadyStream(batcher, 2);
      await sleep(600);

      const started = performance.now();
      await expect(batcher.add(9)).resolves.toBe(18);
      expect(performance.now() - started).toBeLessThan(60);
      expect(batches[batches.length - 1]).toEqual([9]);
    });
  });

  it('refuses limits that could never send', () => {
    expect(() => new MicroBatcher(async (x: number[]) => x, { ...limits, maxBatch: 0 })).toThrow('maxBatch');
  });
});
