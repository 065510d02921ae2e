import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** CPU time and memory of one process from /proc (Linux). */
export interface ProcSample {
  pid: number;
  /** user + system CPU seconds since the process started. */
  cpuSeconds: number;
  rssBytes: number;
  /** Peak resident set size (VmHWM). */
  peakRssBytes: number;
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Reads /proc/<pid>/stat and status; null when the process is gone. */
export function sampleProcess(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { pid, cpuSeconds: (utime + stime) / clockTicks(), rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Total busy and idle CPU seconds of the machine (/proc/stat), for utilisation over an interval. */
export function sampleMachine(): { busySeconds: number; totalSeconds: number; cores: number } {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  const cpu = lines[0].split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + (cpu[4] ?? 0);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const cores = lines.filter((l) => /^cpu\d+ /.test(l)).length;
  return { busySeconds: (total - idle) / clockTicks(), totalSeconds: total / clockTicks(), cores };
}

/** Pids whose command line contains `needle` (e.g. the Kafka broker's main class). */
export function findPids(needle: string | ((cmdline: string, comm: string) => boolean)): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (typeof needle === 'string' ? cmdline.includes(needle) : needle(cmdline, comm)) out.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** A named group of processes (one process, or e.g. every Postgres backend) whose CPU is added up. */
export interface TrackedGroup {
  name: string;
  pids: () => number[];
  /** Started by this run (so its whole CPU time belongs to the run), or shared (only deltas mean anything). */
  ownedByRun: boolean;
}

export interface GroupUsage {
  name: string;
  cpuSeconds: number;
  peakRssBytes: number;
  processes: number;
}

/**
 * Tracks CPU seconds per group between marks, and peak RSS over the run (VmHWM for processes the run started; the
 * largest sampled VmRSS for shared ones such as the Kafka broker, whose lifetime peak predates the run). Call tick()
 * every second or so for the RSS peaks; processes that exit between samples lose their last slice of CPU.
 */
export class ProcessTracker {
  /** Cumulative CPU per pid at the previous mark (shared processes: at first sight). */
  private readonly atMark = new Map<string, Map<number, number>>();
  private readonly latest = new Map<string, Map<number, number>>();
  private readonly peak = new Map<string, number>();
  private machineAtMark = sampleMachine();

  constructor(private readonly groups: TrackedGroup[]) {
    for (const g of groups) this.track(g);
  }

  add(group: TrackedGroup): void {
    this.groups.push(group);
    this.track(group);
  }

  tick(): void {
    for (const g of this.groups) this.sample(g);
  }

  /** CPU seconds per group since the previous mark, and the machine's busy CPU seconds; then starts a new interval. */
  mark(): { groups: GroupUsage[]; machineBusySeconds: number; cores: number } {
    const groups: GroupUsage[] = [];
    for (const g of this.groups) {
      this.sample(g);
      const latest = this.latest.get(g.name) as Map<number, number>;
      const before = this.atMark.get(g.name) as Map<number, number>;
      let cpu = 0;
      for (const [pid, v] of latest) cpu += v - (before.get(pid) ?? (g.ownedByRun ? 0 : v));
      this.atMark.set(g.name, new Map(latest));
      groups.push({ name: g.name, cpuSeconds: cpu, peakRssBytes: this.peak.get(g.name) ?? 0, processes: latest.size });
    }
    const machine = sampleMachine();
    const busy = machine.busySeconds - this.machineAtMark.busySeconds;
    this.machineAtMark = machine;
    return { groups, machineBusySeconds: busy, cores: machine.cores };
  }

  /** Peak RSS per group seen so far (summed over the group's processes). */
  peaks(): Record<string, number> {
    return Object.fromEntries(this.peak);
  }

  private track(g: TrackedGroup): void {
    this.latest.set(g.name, new Map());
    this.sample(g);
    this.atMark.set(g.name, g.ownedByRun ? new Map() : new Map(this.latest.get(g.name)));
  }

  private sample(g: TrackedGroup): void {
    const latest = this.latest.get(g.name) as Map<number, number>;
    const before = this.atMark.get(g.name);
    let rss = 0;
    for (const pid of g.pids()) {
      const s = sampleProcess(pid);
      if (!s) continue;
      // A shared process first seen mid-interval counts from that moment on.
      if (!g.ownedByRun && before && !latest.has(pid) && !before.has(pid)) before.set(pid, s.cpuSeconds);
      latest.set(pid, s.cpuSeconds);
      rss += g.ownedByRun ? s.peakRssBytes : s.rssBytes;
    }
    this.peak.set(g.name, Math.max(this.peak.get(g.name) ?? 0, rss));
  }
}
