import { withDeadline } from './with-deadline';

export interface ClientPoolOptions<C> {
  /** Closes a client taken out of the pool (idle, evicted, broken, shut down); should not throw (a rejection is ignored). */
  close: (client: C) => Promise<void>;
  /** A client no use held for this long is closed. */
  idleMs: number;
  /** At most this many clients open or opening at once; the idlest unused one is closed to make room, else the use fails. */
  maxClients: number;
  /** What a use fails with when every client is busy (default: a plain ClientLimitError). */
  limitError?: (limit: number) => ClientLimitError;
  /** The clock (tests). */
  now?: () => number;
  /** Told what happens to the clients (the dispatcher's metrics); none: nobody is. */
  observer?: ClientPoolObserver;
}

/**
 * Why the pool closed a client: no use for `idleMs`, `evicted` to make room for another key, `broken` (discarded),
 * `retired` (its key is wanted no more), `shutdown` (closeAll).
 */
export type ClientCloseReason = 'idle' | 'evicted' | 'broken' | 'retired' | 'shutdown';

/**
 * Hooks the pool calls as things happen, each optional, synchronously, and not expected to throw (they count). Every
 * client `opened` is `closed` once, so opened minus closed is how many are open; a failed opening is neither.
 */
export interface ClientPoolObserver {
  /** A client's opening succeeded. */
  opened?(): void;
  /** A client the pool opened was closed (after its last use ended, when uses still ran on it). */
  closed?(reason: ClientCloseReason): void;
  /** A use failed with the limit error: every client the pool may hold was in use. */
  refused?(): void;
}

/** Every client the pool may hold is in use: the use that needed another fails (its attempt is retried later). */
export class ClientLimitError extends Error {
  constructor(
    readonly limit: number,
    message = `all ${limit} clients are in use`,
  ) {
    super(message);
    this.name = 'ClientLimitError';
  }
}

/** The pool was closed (shutdown): it opens nothing any more, which nothing would close. */
export class ClientPoolClosedError extends Error {
  constructor() {
    super('the dispatcher is shutting down: no new broker connection is opened');
    this.name = 'ClientPoolClosedError';
  }
}

interface Entry<C> {
  key: string;
  opening: Promise<C>;
  /** Set as soon as the opening resolved, for `discard` to tell which client a key holds. */
  client?: C;
  users: number;
  lastUsedAt: number;
  /** Out of the pool: closed once its last use ended (a later use of its key opens another). */
  retired: boolean;
  /** Why it was taken out, for the observer (the first reason wins). */
  closeReason?: ClientCloseReason;
  closing?: Promise<void>;
}

/**
 * Long-lived clients (a Kafka producer, an AMQP connection) held per key, the identity a client is for (where it
 * connects and as whom), shared by concurrent uses. A client is opened on the first use of its key (concurrent first
 * uses share that one opening; a failed opening is not kept, so the next use tries again), closed once no use held it
 * for `idleMs`, to make room for another key when `maxClients` are held (the idlest unused one), when its protocol says
 * it broke (`discard`), or at shutdown (`closeAll`). A client taken out while uses still run on it is closed after the
 * last of them, which the pool counts itself: `use` releases in any case, so no client can be left marked busy.
 */
export class ClientPool<C> {
  private readonly held = new Map<string, Entry<C>>();
  /** Held or retired but still in use: what `closeAll` must close. */
  private readonly live = new Set<Entry<C>>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: ClientPoolOptions<C>) {
    this.now = options.now ?? Date.now;
    // Half the idle time: an idle client is closed at most idleMs / 2 (1 s at the least) late, for one timer per pool.
    this.sweeper = setInterval(() => this.closeIdle(), Math.max(1000, Math.floor(options.idleMs / 2)));
    // Idle clients must not keep a process alive that has nothing else to do.
    this.sweeper.unref();
  }

  /**
   * Runs `run` with the client of `key`, opening it with `open` when the pool holds none (evicting the idlest unused
   * client when full), and releases it when `run` settles. Rejects with what `open` or `run` threw, with the pool's
   * limit error when every client is busy, or with ClientPoolClosedError after `closeAll`.
   */
  async use<T>(key: string, open: () => Promise<C>, run: (client: C) => Promise<T>): Promise<T> {
    if (this.closed) throw new ClientPoolClosedError();
    const entry = this.held.get(key) ?? this.openEntry(key, open);
    entry.users += 1;
    try {
      return await run(await entry.opening);
    } finally {
      entry.users -= 1;
      entry.lastUsedAt = this.now();
      if (entry.retired && entry.users === 0) void this.closeEntry(entry);
    }
  }

  /** `client` broke (closed by its peer, a failure that may have left it half-open): the next use of `key` opens another. */
  discard(key: string, client: C): void {
    const entry = this.held.get(key);
    // A stale client (already replaced) must not take its successor out with it.
    if (entry && entry.client === client) this.retireEntry(entry, 'broken');
  }

  /** Takes the client of `key` out, open or still opening: closed once its last use ended. */
  retire(key: string): void {
    const entry = this.held.get(key);
    if (entry) this.retireEntry(entry, 'retired');
  }

  /** Closes the clients no use held for `idleMs` (called by the sweeper; `now` for tests). */
  closeIdle(now: number = this.now()): void {
    for (const entry of this.held.values()) {
      if (entry.users === 0 && now - entry.lastUsedAt >= this.options.idleMs) this.retireEntry(entry, 'idle');
    }
  }

  /** Clients held, open or opening (for tests and metrics). */
  get size(): number {
    return this.held.size;
  }

  /**
   * Shutdown: closes every client, those in use too (their uses fail), and each one still opening once it is open;
   * resolves when all are closed, or after `waitMs` (an unreachable broker's opening can take its connect timeout
   * several times over, which a shutdown cannot wait for; it is still closed once open). Later uses fail with
   * ClientPoolClosedError.
   */
  async closeAll(waitMs?: number): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const all = [...this.live];
    this.held.clear();
    for (const entry of all) {
      entry.retired = true;
      entry.closeReason ??= 'shutdown';
    }
    const closing = Promise.all(all.map((entry) => this.closeEntry(entry)));
    if (waitMs === undefined) await closing;
    else await withDeadline(closing, waitMs, () => new Error('still opening')).catch(() => undefined);
  }

  private openEntry(key: string, open: () => Promise<C>): Entry<C> {
    this.makeRoom();
    const entry: Entry<C> = { key, opening: callAsync(open), users: 0, lastUsedAt: this.now(), retired: false };
    // Registered before any use awaits the opening: a use that fails with it and retries at once finds the key free.
    entry.opening.then(
      (client) => {
        entry.client = client;
        this.options.observer?.opened?.();
      },
      () => this.retireEntry(entry),
    );
    this.held.set(key, entry);
    this.live.add(entry);
    return entry;
  }

  /** Closes the idlest unused client when the pool is full; throws the limit error when every one is in use. */
  private makeRoom(): void {
    if (this.held.size < this.options.maxClients) return;
    let idlest: Entry<C> | undefined;
    for (const entry of this.held.values()) if (entry.users === 0 && (!idlest || entry.lastUsedAt < idlest.lastUsedAt)) idlest = entry;
    if (!idlest) {
      this.options.observer?.refused?.();
      throw this.options.limitError?.(this.options.maxClients) ?? new ClientLimitError(this.options.maxClients);
    }
    this.retireEntry(idlest, 'evicted');
  }

  /** `reason`: none for an opening that failed (nothing to close). */
  private retireEntry(entry: Entry<C>, reason?: ClientCloseReason): void {
    if (this.held.get(entry.key) === entry) this.held.delete(entry.key);
    entry.retired = true;
    entry.closeReason ??= reason;
    if (entry.users === 0) void this.closeEntry(entry);
  }

  private closeEntry(entry: Entry<C>): Promise<void> {
    entry.closing ??= entry.opening.then(
      (client) => {
        // Told before the close settles: a broker that never answers it must not keep the client counted as open.
        this.options.observer?.closed?.(entry.closeReason ?? 'shutdown');
        return callAsync(() => this.options.close(client)).catch(() => undefined);
      },
      // Nothing opened, nothing to close.
      () => undefined,
    ).finally(() => this.live.delete(entry));
    return entry.closing;
  }
}

/** `fn()` as a promise even when it throws before returning one (a credential that cannot be opened). */
async function callAsync<T>(fn: () => Promise<T>): Promise<T> {
  return fn();
}
