import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A harness process (receiver, generator, worker) run as a forked child, talked to by request/response over IPC. */
export interface Worker {
  name: string;
  child: ChildProcess;
  pid: number;
  call<T>(cmd: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Subscribes to the child's events; returns the unsubscribe function. */
  on(event: string, listener: (data: unknown) => void): () => void;
  stop(): Promise<void>;
}

interface Envelope {
  id?: number;
  event?: string;
  ok?: boolean;
  result?: unknown;
  error?: string;
  data?: unknown;
}

/** Forks `bench/src/processes/<file>` under @swc-node/register and resolves once it says it is ready. */
export async function startWorker(name: string, file: string, env: Record<string, string> = {}): Promise<Worker> {
  const child = fork(path.join(__dirname, file), [], {
    cwd: ROOT,
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  const listeners = new Map<string, Array<(data: unknown) => void>>();
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  void exited.then((code) => {
    for (const p of pending.values()) p.reject(new Error(`${name} exited (${code}) with a request pending`));
    pending.clear();
  });
  child.on('message', (raw) => {
    const m = raw as Envelope;
    if (m.event) for (const l of listeners.get(m.event) ?? []) l(m.data);
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(`${name}: ${m.error}`));
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s`)), 60_000);
    (listeners.get('ready') ?? listeners.set('ready', []).get('ready'))?.push(() => (clearTimeout(timer), resolve()));
    void exited.then((code) => reject(new Error(`${name} exited (${code}) during start-up`)));
  });
  await ready;
  return {
    name,
    child,
    pid: child.pid as number,
    call<T>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: ${cmd} did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        child.send({ id, cmd, args });
      });
    },
    on(event, listener) {
      const list = listeners.get(event) ?? (listeners.set(event, []).get(event) as Array<(data: unknown) => void>);
      list.push(listener);
      return () => {
        const i = list.indexOf(listener);
        if (i >= 0) list.splice(i, 1);
      };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

type Handler = (args: Record<string, unknown>) => unknown | Promise<unknown>;

/** The child side: answers the parent's calls with `handlers`, then says it is ready. */
export function serveParent(handlers: Record<string, Handler>): { emit(event: string, data: unknown): void } {
  if (!process.send) throw new Error('this file is a harness process: start it with startWorker() from the benchmark');
  const send = (m: Envelope) => process.send?.(m);
  process.on('message', (raw) => {
    const { id, cmd, args } = raw as { id: number; cmd: string; args: Record<string, unknown> };
    const handler = handlers[cmd];
    if (!handler) return send({ id, ok: false, error: `unknown command ${cmd}` });
    Promise.resolve()
      .then(() => handler(args))
      .then(
        (result) => send({ id, ok: true, result }),
        (err: Error) => send({ id, ok: false, error: err.stack ?? err.message }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  setImmediate(() => send({ event: 'ready' }));
  return { emit: (event, data) => send({ event, data }) };
}
