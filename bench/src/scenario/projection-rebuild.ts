import { spawn } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { wallMs } from '../measure/clock';
import { ProcSample, sampleProcess } from '../measure/proc-stats';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface RebuildResult {
  events: number;
  durationMs: number;
  eventsPerSecond: number;
  cpuSeconds: number | null;
  peakRssBytes: number | null;
}

/** Records currently on the given topics (high − low watermark, summed). */
export async function recordsOn(brokers: string[], topics: string[]): Promise<number> {
  const admin = new Kafka({ clientId: 'hookline-bench-count', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    let total = 0;
    for (const t of topics) for (const w of await admin.fetchTopicOffsets(t)) total += Number(BigInt(w.high) - BigInt(w.low));
    return total;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Projection throughput with nothing else competing: the query service's own rebuild tool (replay.ts) projects the
 * whole log of the run into a fresh read-model generation; events/s = records on the topics / the time it reports.
 */
export async function measureRebuild(opts: { env: Record<string, string>; brokers: string[]; topics: string[]; timeoutMs: number }): Promise<RebuildResult> {
  const events = await recordsOn(opts.brokers, opts.topics);
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/query-service/src/replay.ts'], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  let last: ProcSample | null = null;
  const sampler = setInterval(() => (last = sampleProcess(child.pid as number) ?? last), 200);
  const started = wallMs();
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.once('exit', (c) => (clearTimeout(timer), resolve(c)));
  });
  clearInterval(sampler);
  if (code !== 0) throw new Error(`replay.ts exited ${code} after ${Math.round(wallMs() - started)} ms: ${out.trim().split('\n').slice(-5).join(' | ')}`);
  const m = /in (\d+) ms/.exec(out);
  const durationMs = m ? Number(m[1]) : wallMs() - started;
  const sample = last as ProcSample | null;
  return { events, durationMs, eventsPerSecond: (events * 1000) / durationMs, cpuSeconds: sample?.cpuSeconds ?? null, peakRssBytes: sample?.peakRssBytes ?? null };
}
