// The webhook receiver, in its own process so its CPU is counted apart from the system under test. It answers at
// once (or as the route says), and records the arrival time (request head parsed = first byte, to within the
// parser), the `webhook-id` and the status it answered with, for every request on a Hookline route.
//
// Routes: /ep/<n> 200 at once · /slow/<n> 200 after SLOW_MS · /flaky/<n> 500 on the first request for a webhook-id,
// then 200 · /dead/<n> always 500 · /raw and /bull/<n>: baselines, counted but not recorded one by one.
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { wallMs } from '../measure/clock';
import { serveParent } from './ipc';

const SLOW_MS = Number(process.env.BENCH_SLOW_MS ?? 250);
const BUCKET_MS = 250;

const labels: string[] = [];
const labelIndex = new Map<string, number>();
const recLabel: number[] = [];
const recId: string[] = [];
const recAt: number[] = [];
const recStatus: number[] = [];
let taken = 0;

const flakySeen = new Set<string>();
const epoch = wallMs();
/** 2xx answers per route kind per bucket of BUCKET_MS since `epoch`. */
const buckets = new Map<string, number[]>();
const totals = new Map<string, number>();

function count(kind: string, at: number): void {
  totals.set(kind, (totals.get(kind) ?? 0) + 1);
  let series = buckets.get(kind);
  if (!series) buckets.set(kind, (series = []));
  const i = Math.floor((at - epoch) / BUCKET_MS);
  while (series.length <= i) series.push(0);
  series[i]++;
}

const server = createServer((req, res) => {
  const at = wallMs();
  const url = req.url ?? '/';
  const slash = url.indexOf('/', 1);
  const kind = slash > 0 ? url.slice(1, slash) : url.slice(1);
  req.resume();
  req.on('end', () => {
    if (kind === 'raw' || kind === 'bull') {
      count(kind, at);
      res.writeHead(200).end();
      return;
    }
    const webhookId = String(req.headers['webhook-id'] ?? '');
    let status = 200;
    if (kind === 'dead') status = 500;
    else if (kind === 'flaky') {
      const k = `${url}|${webhookId}`;
      if (!flakySeen.has(k)) {
        flakySeen.add(k);
        status = 500;
      }
    } else if (kind !== 'ep' && kind !== 'slow') status = 404;
    let li = labelIndex.get(url);
    if (li === undefined) {
      li = labels.push(url) - 1;
      labelIndex.set(url, li);
    }
    recLabel.push(li);
    recId.push(webhookId);
    recAt.push(at);
    recStatus.push(status);
    if (status === 200) count(kind, at);
    if (kind === 'slow') setTimeout(() => res.writeHead(status).end(), SLOW_MS);
    else res.writeHead(status).end();
  });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 70_000;
server.maxRequestsPerSocket = 0;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serveParent({
    info: () => ({ url: `http://127.0.0.1:${port}`, port }),
    /** Requests recorded since the previous take. */
    take: () => {
      const from = taken;
      taken = recAt.length;
      return { labels: [...labels], label: recLabel.slice(from), webhookId: recId.slice(from), at: recAt.slice(from), status: recStatus.slice(from) };
    },
    totals: () => Object.fromEntries(totals),
    series: () => ({ epoch, bucketMs: BUCKET_MS, series: Object.fromEntries(buckets) }),
  });
});
