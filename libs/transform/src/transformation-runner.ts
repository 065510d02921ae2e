import { Worker } from 'node:worker_threads';
import { workerSource } from './worker-source';

/** A transformation that gave no usable body: an error, no result, too big a result, too slow, or out of memory. */
export class TransformationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransformationError';
  }
}

export interface TransformationRunnerOptions {
  /** Workers at most (each runs one evaluation at a time); they start when first needed. */
  threads: number;
  /** Longest one evaluation may run; its worker is then stopped (it cannot be interrupted otherwise) and replaced. */
  timeoutMs: number;
  /** Each worker's heap limit: an expression that builds huge values stops its own worker, not the process. */
  maxMemoryMb: number;
  /** Largest body a transformation may produce. */
  maxResultBytes: number;
  /** Evaluations waiting for a worker beyond which `run` fails at once instead of queueing. */
  maxQueued?: number;
}

interface Task {
  id: number;
  expression: string;
  input: unknown;
  bindings: Record<string, unknown>;
  resolve(body: Buffer): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  /** Started and running its code: until then a task's deadline has not begun (a start takes tens of ms). */
  online: boolean;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

// How long a new worker may take to start before its first task fails anyway.
const STARTUP_ALLOWANCE_MS = 5_000;

type Answer = { id: number; ok: true; json: string } | { id: number; ok: false; message: string };

/**
 * Runs endpoints' JSONata transformations in worker threads, so that an expression that loops, recurses or builds huge
 * values costs its own endpoint a failed attempt and never stalls or crashes the dispatcher's event loop: each
 * evaluation has a deadline and each worker a heap limit, and a worker past either is stopped and replaced.
 */
export class TransformationRunner {
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private readonly source = workerSource(require.resolve('jsonata'));
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: TransformationRunnerOptions) {}

  /** The body `expression` makes of `input` (JSON, UTF-8); rejects with a TransformationError when there is none. */
  run(expression: string, input: unknown, bindings: Record<string, unknown> = {}): Promise<Buffer> {
    if (this.closed) return Promise.reject(new TransformationError('the service is stopping'));
    if (this.queue.length >= (this.options.maxQueued ?? 10_000)) {
      return Promise.reject(new TransformationError(`${this.queue.length} transformations are already waiting for a worker`));
    }
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, expression, input, bindings, resolve, reject });
      this.pump();
    });
  }

  /** Workers running now (for tests and metrics). */
  get workers(): number {
    return this.slots.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new TransformationError('the service is stopping'));
    await Promise.all([...this.slots].map((slot) => this.retire(slot, 'the service is stopping')));
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = [...this.slots].find((s) => s.task === null);
      if (!slot) {
        if (this.slots.size >= this.options.threads) return;
        slot = this.spawn();
      }
      this.start(slot, this.queue.shift() as Task);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.source, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxMemoryMb, maxYoungGenerationSizeMb: Math.min(16, this.options.maxMemoryMb), stackSizeMb: 4 },
    });
    // An idle pool must not keep a stopping process alive; busy workers are awaited through their tasks.
    worker.unref();
    const slot: Slot = { worker, online: false, task: null, timer: null };
    worker.on('online', () => {
      slot.online = true;
      // The task handed over while the worker started gets its whole deadline from now.
      if (slot.task) this.arm(slot);
    });
    worker.on('message', (answer: Answer) => this.answered(slot, answer));
    // Out of memory, or anything else that ends the worker: its task fails, and the next task gets a new worker.
    worker.on('error', (err) => void this.retire(slot, describeWorkerError(err, this.options.maxMemoryMb)));
    worker.on('exit', () => void this.retire(slot, 'its worker stopped'));
    this.slots.add(slot);
    return slot;
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    this.arm(slot);
    slot.worker.postMessage({ id: task.id, expression: task.expression, input: task.input, bindings: task.bindings, maxBytes: this.options.maxResultBytes });
  }

  /** The running task's deadline: its whole timeout once the worker runs, and the start-up allowance before. */
  private arm(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    const ms = slot.online ? this.options.timeoutMs : this.options.timeoutMs + STARTUP_ALLOWANCE_MS;
    slot.timer = setTimeout(() => void this.retire(slot, `it ran longer than ${this.options.timeoutMs} ms`), ms);
  }

  private answered(slot: Slot, answer: Answer): void {
    const task = slot.task;
    if (!task || task.id !== answer.id) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.task = null;
    slot.timer = null;
    if (answer.ok) task.resolve(Buffer.from(answer.json, 'utf8'));
    else task.reject(new TransformationError(answer.message));
    this.pump();
  }

  /** Stops a worker for good, failing the task it had; the queue goes on with a new one. */
  private async retire(slot: Slot, reason: string): Promise<void> {
    if (!this.slots.delete(slot)) return;
    if (slot.timer) clearTimeout(slot.timer);
    const task = slot.task;
    slot.task = null;
    task?.reject(new TransformationError(reason));
    this.pump();
    await slot.worker.terminate().catch(() => undefined);
  }
}

function describeWorkerError(err: Error & { code?: string }, maxMemoryMb: number): string {
  return err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needed more than ${maxMemoryMb} MB` : `its worker failed: ${err.message}`;
}
