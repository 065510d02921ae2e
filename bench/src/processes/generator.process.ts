// The load generator, in its own process. `publish` is an open model: every message has a scheduled send time
// (start + i / rate), and is sent at that time whether or not earlier ones were answered, so a slow system cannot
// slow the load down and hide its backlog; latency is counted from the scheduled time. `rawHttp` and
// `bullProduce` drive the baselines.
import { Queue } from 'bullmq';
import { Pool } from 'undici';
import { wallMs, sleep } from '../measure/clock';
import { publishBody, payloadJson } from '../scenario/payload';
import { serveParent } from './ipc';

export interface PublishTarget {
  tenantId: string;
  apiKey: string;
}

export interface PublishStream {
  /** Messages per second. */
  rate: number;
  /** Messages go round-robin over these tenants. */
  targets: PublishTarget[];
}

export interface PublishArgs {
  baseUrl: string;
  streams: PublishStream[];
  startAt: number;
  durationMs: number;
  connections: number;
  /** First sequence number (payloads differ across phases). */
  seqBase: number;
  /** Emit 'accepted' events with every n-th accepted message (0: none), for the read-model lag sampler. */
  sampleEvery: number;
}

/** One record per scheduled publish; status 0 = no answer (network error or timeout). */
export interface PublishLog {
  stream: number[];
  target: number[];
  scheduledAt: number[];
  sentAt: number[];
  doneAt: number[];
  status: number[];
  messageId: string[];
  position: string[];
}

let pool: Pool | undefined;
let poolUrl = '';
function poolFor(url: string, connections: number): Pool {
  if (!pool || poolUrl !== url) {
    void pool?.close();
    pool = new Pool(url, { connections, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 30_000, keepAliveTimeout: 60_000 });
    poolUrl = url;
  }
  return pool;
}

const parent = serveParent({
  publish: (args) => publish(args as unknown as PublishArgs),
  rawHttp: (args) => rawHttp(args as unknown as RawHttpArgs),
  bullProduce: (args) => bullProduce(args as unknown as BullProduceArgs),
});

async function publish(a: PublishArgs): Promise<PublishLog> {
  const http = poolFor(a.baseUrl, a.connections);
  const log: PublishLog = { stream: [], target: [], scheduledAt: [], sentAt: [], doneAt: [], status: [], messageId: [], position: [] };
  const streams = a.streams.map((s, i) => ({ ...s, index: i, n: Math.floor((s.rate * a.durationMs) / 1000), sent: 0 }));
  let seq = a.seqBase;
  let outstanding = 0;
  let sampled: Array<[string, number]> = [];
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((r) => (allDone = r));
  const sampler = a.sampleEvery > 0 ? setInterval(() => {
    if (sampled.length) parent.emit('accepted', sampled);
    sampled = [];
  }, 200) : undefined;

  const send = (streamIndex: number, targetIndex: number, scheduledAt: number) => {
    const s = a.streams[streamIndex];
    const target = s.targets[targetIndex];
    const row = log.scheduledAt.push(scheduledAt) - 1;
    log.stream.push(streamIndex);
    log.target.push(targetIndex);
    log.sentAt.push(wallMs());
    log.doneAt.push(0);
    log.status.push(0);
    log.messageId.push('');
    log.position.push('');
    const mySeq = seq++;
    outstanding++;
    http
      .request({
        method: 'POST',
        path: `/v1/tenants/${target.tenantId}/messages`,
        headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
        body: publishBody(mySeq),
      })
      .then(async (res) => {
        const text = await res.body.text();
        log.doneAt[row] = wallMs();
        log.status[row] = res.statusCode;
        if (res.statusCode >= 200 && res.statusCode < 300) {
          const body = JSON.parse(text) as { id: string; position: string };
          log.messageId[row] = body.id;
          log.position[row] = body.position;
          if (a.sampleEvery > 0 && mySeq % a.sampleEvery === 0) sampled.push([body.id, streamIndex * 1000 + targetIndex]);
        }
      })
      .catch(() => {
        log.doneAt[row] = wallMs();
      })
      .finally(() => {
        if (--outstanding === 0 && streams.every((st) => st.sent >= st.n)) allDone();
      });
  };

  const tick = () => {
    const now = wallMs();
    for (const s of streams) {
      while (s.sent < s.n) {
        const at = a.startAt + (s.sent * 1000) / s.rate;
        if (at > now) break;
        send(s.index, s.sent % s.targets.length, at);
        s.sent++;
      }
    }
    // Sleep until the next scheduled send (timers have 1 ms granularity; rounding down wakes up early, never late):
    // a fixed 1 ms tick woke this process 1,000 times a second at any rate, CPU the machine under test then lacked.
    let next = Infinity;
    for (const s of streams) if (s.sent < s.n) next = Math.min(next, a.startAt + (s.sent * 1000) / s.rate);
    if (next !== Infinity) setTimeout(tick, Math.max(1, Math.floor(next - wallMs())));
    else if (outstanding === 0) allDone();
  };
  await sleep(Math.max(0, a.startAt - wallMs()));
  tick();
  await Promise.race([finished, sleep(a.durationMs + 60_000)]);
  if (sampler) clearInterval(sampler);
  if (sampled.length) parent.emit('accepted', sampled);
  return log;
}

interface RawHttpArgs {
  url: string;
  durationMs: number;
  concurrency: number;
  /** Requests finishing in the first warmupMs (connections opening, JIT) are not counted. */
  warmupMs: number;
}

/** Closed loop: `concurrency` POSTs of a 1 KB JSON body in flight at all times, for warmupMs + durationMs. */
async function rawHttp(a: RawHttpArgs): Promise<{ requests: number; errors: number; seconds: number; total: number }> {
  const target = new URL(a.url);
  const http = new Pool(target.origin, { connections: a.concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const body = payloadJson(1);
  let requests = 0;
  let errors = 0;
  let sent = 0;
  let total = 0;
  const measureFrom = wallMs() + a.warmupMs;
  const until = measureFrom + a.durationMs;
  const loop = async () => {
    while (wallMs() < until) {
      let ok = false;
      try {
        const res = await http.request({
          method: 'POST',
          path: target.pathname,
          headers: { 'content-type': 'application/json', 'webhook-id': `raw_${sent++}` },
          body,
        });
        await res.body.dump();
        ok = res.statusCode === 200;
        if (ok) total++;
      } catch {
        ok = false;
      }
      const at = wallMs();
      if (at < measureFrom || at > until) continue;
      if (ok) requests++;
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: a.concurrency }, () => loop()));
  const seconds = a.durationMs / 1000;
  await http.close();
  return { requests, errors, seconds, total };
}

interface BullProduceArgs {
  redisUrl: string;
  queueName: string;
  durationMs: number;
  concurrency: number;
  /** Adds pause while more jobs than this wait. */
  maxBacklog: number;
  endpoints: number;
}

/**
 * The conventional design's API side: each "publish" enqueues one job per subscribed endpoint (fan-out at enqueue,
 * as a typical Express + BullMQ service does), `concurrency` publishes at a time, for durationMs.
 */
async function bullProduce(a: BullProduceArgs): Promise<{ published: number; jobs: number; seconds: number }> {
  const connection = { url: a.redisUrl, maxRetriesPerRequest: null } as const;
  const queue = new Queue(a.queueName, { connection, defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000, attempts: 3, backoff: { type: 'fixed', delay: 1000 } } });
  let published = 0;
  let waiting = 0;
  const started = wallMs();
  const until = started + a.durationMs;
  const poll = setInterval(() => {
    void queue.getWaitingCount().then((n) => (waiting = n), () => undefined);
  }, 100);
  const loop = async (worker: number) => {
    while (wallMs() < until) {
      if (waiting > a.maxBacklog) {
        await sleep(5);
        continue;
      }
      const seq = worker * 1e7 + published++;
      const payload = payloadJson(seq);
      const id = `bull_${seq}`;
      await queue.addBulk(Array.from({ length: a.endpoints }, (_, e) => ({ name: 'webhook', data: { id, endpoint: e, payload } })));
    }
  };
  await Promise.all(Array.from({ length: a.concurrency }, (_, i) => loop(i)));
  clearInterval(poll);
  const seconds = (wallMs() - started) / 1000;
  await queue.close();
  return { published, jobs: published * a.endpoints, seconds };
}
