import { ChildProcess, spawn } from 'node:child_process';
import { workerSource } from './worker-source';

/** A transformation that gave no usable body: an error, no result, too big a result, too slow, or out of memory. */
export class TransformationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransformationError';
  }
}

export interface TransformationRunnerOptions {
  /** Worker processes at most (each runs one evaluation at a time); they start when first needed. */
  threads: number;
  /** Longest one evaluation may run; its worker is then stopped (it cannot be interrupted otherwise) and replaced. */
  timeoutMs: number;
  /** Each worker's heap limit (MB): an expression that builds huge values stops its own worker, not the service. */
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
  worker: ChildProcess;
  /** The end of what the worker wrote to stderr: V8 says there when the heap limit killed it. */
  stderr: string;
  /** Started and running its code: until then a task's deadline has not begun (a start takes tens of ms). */
  online: boolean;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

// How long a new worker may take to start before its first task fails anyway.
const STARTUP_ALLOWANCE_MS = 5_000;

type Answer = { id: number; ok: true; json: string } | { id: number; ok: false; message: string } | { ready: true };

const STDERR_KEPT = 4096;

/**
 * Runs endpoints' JSONata transformations in worker processes, so that an expression that loops, recurses or builds huge
 * values costs its own endpoint a failed attempt and never stalls or crashes the service: each evaluation has a
 * deadline and each worker a heap limit, and a worker past either is stopped and replaced. Processes, not worker
 * threads: a thread past its heap limit gets only 16 MB of leeway to stop, and an expression allocating more than that
 * at once (one large array) made V8 abort the whole process, the dispatcher with it, and again on every redelivery.
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
    const semiSpaceMb = Math.max(1, Math.min(16, Math.floor(this.options.maxMemoryMb / 8)));
    const worker = spawn(process.execPath, [`--max-old-space-size=${this.options.maxMemoryMb}`, `--max-semi-space-size=${semiSpaceMb}`, '-e', this.source], {
      // Its own flags only: NODE_OPTIONS could preload the service's instrumentation or raise the heap limit.
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const slot: Slot = { worker, stderr: '', online: false, task: null, timer: null };
    // An idle pool must not keep a stopping process alive; a busy worker does (holdsProcess), its caller awaits it.
    holdsProcess(worker, false);
    (worker.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    worker.stderr?.setEncoding('utf8').on('data', (text: string) => {
      slot.stderr = (slot.stderr + text).slice(-STDERR_KEPT);
    });
    worker.on('message', (answer: Answer) => {
      if ('ready' in answer) {
        slot.online = true;
        // The task handed over while the worker started gets its whole deadline from now.
        if (slot.task) this.arm(slot);
        return;
      }
      this.answered(slot, answer);
    });
    // Out of memory, or anything else that ends the worker: its task fails, and the next task gets a new worker.
    worker.on('error', (err) => void this.retire(slot, `its worker failed: ${err.message}`));
    worker.on('exit', () => void this.retire(slot, describeWorkerExit(slot.stderr, this.options.maxMemoryMb)));
    this.slots.add(slot);
    return slot;
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    holdsProcess(slot.worker, true);
    this.arm(slot);
    slot.worker.send({ id: task.id, expression: task.expression, input: task.input, bindings: task.bindings, maxBytes: this.options.maxResultBytes }, (err) => {
      if (err) void this.retire(slot, `its worker failed: ${err.message}`);
    });
  }

  /** The running task's deadline: its whole timeout once the worker runs, and the start-up allowance before. */
  private arm(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    const ms = slot.online ? this.options.timeoutMs : this.options.timeoutMs + STARTUP_ALLOWANCE_MS;
    slot.timer = setTimeout(() => void this.retire(slot, `it ran longer than ${this.options.timeoutMs} ms`), ms);
  }

  private answered(slot: Slot, answer: Exclude<Answer, { ready: true }>): void {
    const task = slot.task;
    if (!task || task.id !== answer.id) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.task = null;
    slot.timer = null;
    holdsProcess(slot.worker, false);
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
    await stop(slot.worker);
  }
}

/** Whether the worker (its process and its IPC channel) keeps this process's event loop alive. */
function holdsProcess(worker: ChildProcess, hold: boolean): void {
  if (hold) {
    worker.ref();
    worker.channel?.ref();
  } else {
    worker.unref();
    worker.channel?.unref();
  }
}

/** Kills a worker and waits until it is gone (at once when it already is). */
function stop(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    worker.once('exit', () => resolve());
    // Held until it is gone: an unreferenced worker would let the event loop end before its exit is seen.
    worker.ref();
    worker.kill('SIGKILL');
  });
}

function describeWorkerExit(stderr: string, maxMemoryMb: number): string {
  return /heap out of memory|Reached heap limit/.test(stderr) ? `it needed more than ${maxMemoryMb} MB` : 'its worker stopped';
}
