import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@hookline/testing';

const ROOT = join(__dirname, '..', '..', '..', '..');

/** The dispatcher as a separate process, run from TypeScript exactly as `node -r @swc-node/register …main.ts`. */
export class DispatcherProcess {
  private child: ChildProcess | null = null;
  private exit: Promise<number | null> | null = null;
  starts = 0;

  constructor(private readonly env: Record<string, string>, private readonly logFile: string) {}

  get port(): number {
    return Number(this.env.PORT);
  }

  async start(): Promise<void> {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/dispatcher/src/main.ts'], {
      cwd: ROOT, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.child = child;
    this.starts += 1;
    this.exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`dispatcher exited with ${child.exitCode} during start-up; see ${this.logFile}`);
      const res = await fetch(`http://127.0.0.1:${this.port}/readyz`).catch(() => null);
      return res?.status === 200;
    }, 60_000, 'dispatcher /readyz', 100);
  }

  /** kill -9: no shutdown code runs at all. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exit;
  }

  /** Graceful stop; resolves with the exit code. */
  async terminate(): Promise<number | null> {
    this.child?.kill('SIGTERM');
    return this.exit;
  }
}
