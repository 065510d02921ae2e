import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { lowerCpuPriority } from './cpu-priority';

const ROOT = path.resolve(__dirname, '../../../..');

/** Linux (/proc). Runs `calls` (nice values, in order) in a fresh Node process; returns the nice value of each of its threads after. */
function niceOfThreadsAfter(calls: number[]): { changed: number[]; nice: number[] } {
  const script = `
    const { lowerCpuPriority } = require('./libs/service-kit/src/lifecycle/cpu-priority');
    const changed = ${JSON.stringify(calls)}.map((n) => lowerCpuPriority(n));
    const fs = require('fs');
    // Field 19 of /proc/<pid>/task/<tid>/stat; the command name (field 2) may hold spaces, so count after its ')'.
    const nice = fs.readdirSync('/proc/self/task').map((tid) =>
      Number(fs.readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]));
    process.stdout.write(JSON.stringify({ changed, nice }));`;
  const out = execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as { changed: number[]; nice: number[] };
}

describe('lowerCpuPriority', () => {
  it('gives every thread of the process the nice value, not only the main one', () => {
    const { changed, nice } = niceOfThreadsAfter([7]);
    expect(nice.length).toBeGreaterThan(1); // V8's and libuv's threads
    expect(new Set(nice)).toEqual(new Set([7]));
    expect(changed[0]).toBeGreaterThan(1); // a thread started since may have inherited it instead
  });

  it('never raises a priority: a nicer thread keeps its value, and 0 changes nothing', () => {
    const { changed, nice } = niceOfThreadsAfter([12, 5, 0]);
    expect(new Set(nice)).toEqual(new Set([12]));
    expect(changed.slice(1)).toEqual([0, 0]);
  });

  it('refuses a value outside 0-19', () => {
    expect(() => lowerCpuPriority(-1)).toThrow(RangeError);
    expect(() => lowerCpuPriority(20)).toThrow(RangeError);
    expect(() => lowerCpuPriority(2.5)).toThrow(RangeError);
  });
});
