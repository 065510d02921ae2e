import { ClientCloseReason, ClientLimitError, ClientPool, ClientPoolClosedError, ClientPoolObserver, ClientPoolOptions } from './client-pool';

interface FakeClient {
  id: number;
  key: string;
  closed: boolean;
}

/** A promise settled from outside, to hold an opening or a use in flight. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ClientPool', () => {
  let clock: number;
  let opened: FakeClient[];
  let pools: ClientPool<FakeClient>[];

  const poolOf = (options: Partial<ClientPoolOptions<FakeClient>> = {}) => {
    const pool = new ClientPool<FakeClient>({
      close: async (client) => void (client.closed = true), idleMs: 1000, maxClients: 10, now: () => clock, ...options,
    });
    pools.push(pool);
    return pool;
  };
  const opener = (key: string) => async () => {
    const client = { id: opened.length + 1, key, closed: false };
    opened.push(client);
    return client;
  };
  const idOf = async (client: FakeClient) => client.id;
  /** A use of `key` that holds its client until `release()`. */
  const hold = (pool: ClientPool<FakeClient>, key: string) => {
    const done = deferred<void>();
    let client: FakeClient | undefined;
    const using = pool.use(key, opener(key), async (c) => {
      client = c;
      await done.promise;
    });
    return { using, client: () => client, release: async () => {
      done.resolve();
      await using;
    } };
  };

  beforeEach(() => {
    clock = 0;
    opened = [];
    pools = [];
  });
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.closeAll()));
  });

  describe('given no client for a key', () => {
    it('opens one for concurrent first uses, and every later use shares it', async () => {
      const pool = poolOf();
      const open = jest.fn(opener('a'));
      expect(await Promise.all([1, 2, 3].map(() => pool.use('a', open, idOf)))).toEqual([1, 1, 1]);
      expect(await pool.use('a', open, idOf)).toBe(1);
      expect(open).toHaveBeenCalledTimes(1);
      expect(pool.size).toBe(1);
    });

    it('opens one per key', async () => {
      const pool = poolOf();
      expect([await pool.use('a', opener('a'), idOf), await pool.use('b', opener('b'), idOf)]).toEqual([1, 2]);
      expect(pool.size).toBe(2);
    });

    it('keeps no failed opening: every use waiting on it fails with its error, and the next use opens again', async () => {
      const pool = poolOf();
      const failing = jest.fn(async (): Promise<FakeClient> => {
        throw new Error('connection refused');
      });
      const uses = [pool.use('a', failing, idOf), pool.use('a', failing, idOf)];
      await expect(Promise.all(uses)).rejects.toThrow('connection refused');
      await Promise.allSettled(uses);
      expect(failing).toHaveBeenCalledTimes(1);
      expect(pool.size).toBe(0);
      expect(await pool.use('a', opener('a'), idOf)).toBe(1);
    });

    it('keeps no opening that threw before returning a promise (a credential that cannot be opened)', async () => {
      const pool = poolOf();
      const throwing = () => {
        throw new Error('cannot open the password');
      };
      await expect(pool.use('a', throwing, idOf)).rejects.toThrow('cannot open the password');
      expect(pool.size).toBe(0);
      expect(await pool.use('a', opener('a'), idOf)).toBe(1);
    });
  });

  describe('when a use ends', () => {
    it('releases the client whether the use succeeded or threw, so an idle one is closed', async () => {
      const pool = poolOf();
      await expect(pool.use('a', opener('a'), async () => {
        throw new Error('refused by the broker');
      })).rejects.toThrow('refused by the broker');
      pool.closeIdle(clock + 1000);
      expect(pool.size).toBe(0);
      await flush();
      expect(opened[0].closed).toBe(true);
    });
  });

  describe('closeIdle', () => {
    it('closes a client no use held for idleMs, and the next use opens another', async () => {
      const pool = poolOf({ idleMs: 1000 });
      clock = 5000;
      await pool.use('a', opener('a'), idOf);
      pool.closeIdle(5999);
      expect(pool.size).toBe(1);
      pool.closeIdle(6000);
      expect(pool.size).toBe(0);
      await flush();
      expect(opened[0].closed).toBe(true);
      expect(await pool.use('a', opener('a'), idOf)).toBe(2);
    });

    it('never closes a client in use, however long ago its last use ended', async () => {
      const pool = poolOf({ idleMs: 1000 });
      await pool.use('a', opener('a'), idOf);
      const use = hold(pool, 'a');
      pool.closeIdle(clock + 60_000);
      expect(pool.size).toBe(1);
      await use.release();
      expect(opened[0].closed).toBe(false);
    });

    it('runs on its own from a timer that keeps no process alive', async () => {
      jest.useFakeTimers();
      try {
        const pool = poolOf({ idleMs: 4000, now: () => Date.now() });
        await pool.use('a', opener('a'), idOf);
        jest.advanceTimersByTime(3999);
        expect(pool.size).toBe(1);
        jest.advanceTimersByTime(2001);
        expect(pool.size).toBe(0);
        expect(jest.getTimerCount()).toBe(1);
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe('when maxClients are held', () => {
    it('closes the idlest unused client to make room, and keeps the others', async () => {
      const pool = poolOf({ maxClients: 2 });
      clock = 10;
      await pool.use('a', opener('a'), idOf);
      clock = 20;
      await pool.use('b', opener('b'), idOf);
      clock = 30;
      await pool.use('a', opener('a'), idOf); // a is now the more recently used
      expect(await pool.use('c', opener('c'), idOf)).toBe(3);
      await flush();
      expect(opened.map((c) => [c.key, c.closed])).toEqual([['a', false], ['b', true], ['c', false]]);
      expect(pool.size).toBe(2);
      expect(await pool.use('a', opener('a'), idOf)).toBe(1);
    });

    it('fails the use with the limit error when every client is busy, opening nothing; room again once one is released', async () => {
      const pool = poolOf({ maxClients: 1 });
      const busy = hold(pool, 'a');
      const open = jest.fn(opener('b'));
      const error = await pool.use('b', open, idOf).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClientLimitError);
      expect(error).toMatchObject({ limit: 1, message: 'all 1 clients are in use' });
      expect(open).not.toHaveBeenCalled();
      await busy.release();
      expect(await pool.use('b', open, idOf)).toBe(2);
    });

    it('counts a client still opening as busy', async () => {
      const pool = poolOf({ maxClients: 1 });
      const opening = deferred<FakeClient>();
      const first = pool.use('a', () => opening.promise, idOf);
      await expect(pool.use('b', opener('b'), idOf)).rejects.toBeInstanceOf(ClientLimitError);
      opening.resolve({ id: 7, key: 'a', closed: false });
      expect(await first).toBe(7);
    });

    it("fails with the caller's own limit error, which names its setting", async () => {
      class ProducerLimitError extends ClientLimitError {
        constructor(limit: number) {
          super(limit, `all ${limit} producers are in use (MAX_PRODUCERS)`);
        }
      }
      const pool = poolOf({ maxClients: 1, limitError: (limit) => new ProducerLimitError(limit) });
      const busy = hold(pool, 'a');
      await expect(pool.use('b', opener('b'), idOf)).rejects.toThrow(new ProducerLimitError(1));
      await busy.release();
    });
  });

  describe('discard', () => {
    it('takes a broken client out: closed once its uses ended, while the next use opens another', async () => {
      const pool = poolOf();
      const use = hold(pool, 'a');
      await flush();
      const broken = use.client()!;
      pool.discard('a', broken);
      expect(pool.size).toBe(0);
      expect(await pool.use('a', opener('a'), idOf)).toBe(2);
      expect(broken.closed).toBe(false);
      await use.release();
      await flush();
      expect(broken.closed).toBe(true);
      expect(opened[1].closed).toBe(false);
    });

    it('ignores a stale client, so its successor stays', async () => {
      const pool = poolOf();
      await pool.use('a', opener('a'), idOf);
      const first = opened[0];
      pool.discard('a', first);
      await pool.use('a', opener('a'), idOf);
      pool.discard('a', first);
      expect(pool.size).toBe(1);
      await flush();
      expect(opened.map((c) => c.closed)).toEqual([true, false]);
    });
  });

  describe('retire', () => {
    it('takes the client of a key out even while it is opening, and closes it after its last use', async () => {
      const pool = poolOf();
      const opening = deferred<FakeClient>();
      const client = { id: 1, key: 'a', closed: false };
      const use = pool.use('a', () => opening.promise, async (c) => c.closed);
      pool.retire('a');
      expect(pool.size).toBe(0);
      opening.resolve(client);
      expect(await use).toBe(false);
      await flush();
      expect(client.closed).toBe(true);
    });
  });

  describe('closeAll', () => {
    it('closes every client, in use or not, and fails later uses', async () => {
      const pool = poolOf();
      await pool.use('a', opener('a'), idOf);
      const busy = hold(pool, 'b');
      await flush();
      await pool.closeAll();
      expect(opened.map((c) => c.closed)).toEqual([true, true]);
      expect(pool.size).toBe(0);
      await busy.release();
      await expect(pool.use('a', opener('a'), idOf)).rejects.toBeInstanceOf(ClientPoolClosedError);
      expect(opened).toHaveLength(2);
    });

    it('waits for a client still opening and closes it too', async () => {
      const pool = poolOf();
      const opening = deferred<FakeClient>();
      const client = { id: 1, key: 'a', closed: false };
      const use = pool.use('a', () => opening.promise, idOf);
      let closedAll = false;
      const closing = pool.closeAll().then(() => (closedAll = true));
      await flush();
      expect(closedAll).toBe(false);
      opening.resolve(client);
      await closing;
      expect(client.closed).toBe(true);
      await use;
    });

    it('waits at most waitMs for an opening, and still closes that client once it is open', async () => {
      const pool = poolOf();
      const opening = deferred<FakeClient>();
      const client = { id: 1, key: 'a', closed: false };
      const use = pool.use('a', () => opening.promise, idOf);
      await pool.closeAll(10);
      expect(client.closed).toBe(false);
      opening.resolve(client);
      await use;
      await flush();
      expect(client.closed).toBe(true);
    });

    it('gets past an opening that fails and a close that fails', async () => {
      const pool = poolOf({ close: async () => {
        throw new Error('close timed out');
      } });
      await pool.use('a', opener('a'), idOf);
      const opening = deferred<FakeClient>();
      const use = pool.use('b', () => opening.promise, idOf).catch((e: Error) => e.message);
      const closing = pool.closeAll();
      opening.reject(new Error('connection refused'));
      await closing;
      expect(await use).toBe('connection refused');
    });
  });
  describe('observer', () => {
    /** What the observer was told, as the metrics count it. */
    const counting = () => {
      const seen = { opened: 0, refused: 0, closed: [] as ClientCloseReason[] };
      const observer: ClientPoolObserver = {
        opened: () => void (seen.opened += 1), refused: () => void (seen.refused += 1), closed: (reason) => void seen.closed.push(reason),
      };
      return { seen, observer };
    };

    it('counts clients opened, and neither opened nor closed for a failed opening', async () => {
      const { seen, observer } = counting();
      const pool = poolOf({ observer });
      await Promise.all([pool.use('a', opener('a'), idOf), pool.use('a', opener('a'), idOf), pool.use('b', opener('b'), idOf)]);
      await expect(pool.use('c', async () => {
        throw new Error('connection refused');
      }, idOf)).rejects.toThrow('connection refused');
      await flush();
      expect(seen).toEqual({ opened: 2, refused: 0, closed: [] });
    });

    it('says why each client was closed: idle, evicted to make room, broken, retired, shutdown', async () => {
      const { seen, observer } = counting();
      const pool = poolOf({ observer, maxClients: 2, idleMs: 1000 });
      await pool.use('idle', opener('idle'), idOf);
      clock = 1000;
      pool.closeIdle();
      await flush();
      expect(seen.closed).toEqual(['idle']);

      await pool.use('a', opener('a'), idOf);
      clock = 1001;
      await pool.use('b', opener('b'), idOf);
      await pool.use('c', opener('c'), idOf);
      await flush();
      expect(seen.closed).toEqual(['idle', 'evicted']);

      pool.discard('b', opened.find((c) => c.key === 'b')!);
      pool.retire('c');
      await pool.use('d', opener('d'), idOf);
      await pool.closeAll();
      expect(seen).toEqual({ opened: 5, refused: 0, closed: ['idle', 'evicted', 'broken', 'retired', 'shutdown'] });
    });

    it('counts a client retired while in use as closed once its last use ended, and only once', async () => {
      const { seen, observer } = counting();
      const pool = poolOf({ observer });
      const use = hold(pool, 'a');
      await flush();
      pool.discard('a', use.client()!);
      pool.retire('a');
      await flush();
      expect(seen.closed).toEqual([]);
      await use.release();
      await pool.closeAll();
      expect(seen).toEqual({ opened: 1, refused: 0, closed: ['broken'] });
    });

    it('counts every use refused because every client was busy, and none that found room', async () => {
      const { seen, observer } = counting();
      const pool = poolOf({ observer, maxClients: 1 });
      const busy = hold(pool, 'a');
      await expect(pool.use('b', opener('b'), idOf)).rejects.toBeInstanceOf(ClientLimitError);
      await expect(pool.use('c', opener('c'), idOf)).rejects.toBeInstanceOf(ClientLimitError);
      expect(await pool.use('a', opener('a'), idOf)).toBe(1);
      await busy.release();
      await pool.use('b', opener('b'), idOf);
      expect(seen).toEqual({ opened: 2, refused: 2, closed: ['evicted'] });
    });
  });
});
