import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Gives every thread of this process a nice value of at least `nice` (0-19), so that on a machine shared with
 * latency-bound processes it takes CPU only when they leave some. On Linux a nice value belongs to a thread, and V8's
 * and libuv's threads exist before any of our code runs, so each one in /proc/self/task is set; threads started later
 * inherit the value of the thread that starts them. Elsewhere the call sets the process. A thread already nicer (the
 * process was started under `nice`) keeps its value: raising a priority needs privileges. Returns the threads changed.
 */
export function lowerCpuPriority(nice: number): number {
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new RangeError(`nice must be an integer from 0 to 19, got ${nice}`);
  if (nice === 0) return 0;
  let threads: number[];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    threads = [0]; // no /proc: 0 is this process
  }
  let changed = 0;
  for (const tid of threads) {
    try {
      if (getPriority(tid) >= nice) continue;
      setPriority(tid, nice);
      changed += 1;
    } catch {
      // The thread ended between the listing and the call.
    }
  }
  return changed;
}
