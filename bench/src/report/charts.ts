import { createWriteStream } from 'node:fs';
import * as PImage from 'pureimage';
import type { BenchReport } from './bench-report';

// Text is drawn with DejaVu Sans from the dejavu-fonts-ttf package, so charts render the same without system fonts.
const FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT = 'DejaVu Sans';
let fontLoaded: Promise<void> | undefined;
function loadFont(): Promise<void> {
  fontLoaded ??= Promise.resolve(PImage.registerFont(FONT_FILE, FONT).load()).then(() => undefined);
  return fontLoaded;
}

type Ctx = ReturnType<ReturnType<typeof PImage.make>['getContext']>;

interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

const COLORS = { delivered: '#1f5fbf', accepted: '#e07b00', raw: '#7a7a7a', bull: '#2e9e44', grid: '#e3e3e3', axis: '#333333', band: '#f3f6fb', band2: '#fbf7f0' };

function text(ctx: Ctx, s: string, x: number, y: number, opts: { size?: number; color?: string; align?: 'left' | 'center' | 'right'; bold?: boolean } = {}): void {
  ctx.font = `${opts.size ?? 12}px '${FONT}'`;
  ctx.fillStyle = opts.color ?? COLORS.axis;
  const w = ctx.measureText(s).width;
  const dx = opts.align === 'center' ? -w / 2 : opts.align === 'right' ? -w : 0;
  ctx.fillText(s, x + dx, y);
}

function line(ctx: Ctx, points: Array<[number, number]>, color: string, width = 2, dashed = false): void {
  if (points.length < 2) return;
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  if (!dashed) {
    ctx.beginPath();
    ctx.moveTo(points[0][0], points[0][1]);
    for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
    ctx.stroke();
    return;
  }
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1];
    const [x1, y1] = points[i];
    const len = Math.hypot(x1 - x0, y1 - y0);
    for (let d = 0; d < len; d += 8) {
      const e = Math.min(len, d + 4);
      ctx.beginPath();
      ctx.moveTo(x0 + ((x1 - x0) * d) / len, y0 + ((y1 - y0) * d) / len);
      ctx.lineTo(x0 + ((x1 - x0) * e) / len, y0 + ((y1 - y0) * e) / len);
      ctx.stroke();
    }
  }
}

function logScale(min: number, max: number, from: number, to: number): (v: number) => number {
  const a = Math.log10(min);
  const b = Math.log10(max);
  return (v) => from + ((Math.log10(Math.max(min, Math.min(max, v))) - a) / (b - a)) * (to - from);
}

function formatCount(v: number): string {
  if (v >= 1000) return `${v / 1000}k`;
  return String(v);
}

function formatMs(v: number): string {
  if (v >= 1000) return `${v / 1000} s`;
  return `${v} ms`;
}

async function save(img: ReturnType<typeof PImage.make>, file: string): Promise<void> {
  await PImage.encodePNGToStream(img, createWriteStream(file));
}

function legend(ctx: Ctx, items: Array<{ label: string; color: string; dashed?: boolean }>, x: number, y: number): void {
  let cx = x;
  for (const item of items) {
    line(ctx, [[cx, y - 4], [cx + 24, y - 4]], item.color, 3, item.dashed);
    text(ctx, item.label, cx + 30, y, { size: 12 });
    ctx.font = `12px '${FONT}'`;
    cx += 30 + ctx.measureText(item.label).width + 24;
  }
}

function shortPhase(name: string): string {
  return name
    .replace(/^baseline /, '')
    .replace(/^search (\d+)\/s$/, '$1/s')
    .replace(/^latency /, 'lat ')
    .replace(/^isolation /, 'iso ')
    .replace('projection rebuild', 'rebuild')
    .replace('retry probes', 'probes')
    .replace('final drain', 'drain');
}

/** A blank chart: a W × H image painted white, and its drawing context. */
function whiteCanvas(W: number, H: number) {
  const img = PImage.make(W, H);
  const ctx = img.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  return { img, ctx };
}

/** Throughput over time (log scale, so baselines and Hookline fit one chart), with the run's phases shaded. */
async function throughputChart(r: BenchReport, file: string): Promise<void> {
  const W = 1200;
  const H = 560;
  const { img, ctx } = whiteCanvas(W, H);
  const f: Frame = { left: 70, top: 100, width: W - 100, height: H - 180 };
  const tl = r.timeline;
  const seconds = tl.delivered.length;
  const x = (s: number) => f.left + (s / Math.max(1, seconds)) * f.width;
  const peak = Math.max(10, ...tl.delivered, ...tl.accepted, ...tl.raw, ...tl.bull);
  const top = 10 ** Math.ceil(Math.log10(peak));
  const y = logScale(1, top, f.top + f.height, f.top);

  text(ctx, `Throughput over time — run ${r.runId} (${r.profile.name})`, f.left, 28, { size: 18, bold: true });
  text(ctx, 'per second, log scale; shaded bands are the run\'s phases (search steps are labelled with their message rate)', f.left, 50, { size: 12, color: '#555' });

  // Phase bands; each label goes on the first of three rows where it does not overlap the previous label there.
  const rowEnds = [-Infinity, -Infinity, -Infinity];
  ctx.font = `10px '${FONT}'`;
  tl.phases.forEach((p, i) => {
    const x0 = x((p.from - tl.from) / 1000);
    const x1 = x((p.to - tl.from) / 1000);
    if (x1 - x0 < 1) return;
    ctx.fillStyle = i % 2 ? COLORS.band : COLORS.band2;
    ctx.fillRect(x0, f.top, x1 - x0, f.height);
    const label = shortPhase(p.name);
    ctx.font = `10px '${FONT}'`;
    const w = ctx.measureText(label).width;
    const centre = Math.max(f.left + w / 2, (x0 + x1) / 2);
    const row = rowEnds.findIndex((end) => centre - w / 2 > end + 4);
    if (row < 0) return;
    rowEnds[row] = centre + w / 2;
    text(ctx, label, centre, f.top - 6 - row * 12, { size: 10, align: 'center', color: '#444' });
  });
  for (let v = 1; v <= top; v *= 10) {
    line(ctx, [[f.left, y(v)], [f.left + f.width, y(v)]], COLORS.grid, 1);
    text(ctx, formatCount(v), f.left - 8, y(v) + 4, { size: 11, align: 'right' });
  }
  const step = seconds > 400 ? 60 : seconds > 120 ? 30 : 10;
  for (let s = 0; s <= seconds; s += step) {
    line(ctx, [[x(s), f.top + f.height], [x(s), f.top + f.height + 5]], COLORS.axis, 1);
    text(ctx, `${s}`, x(s), f.top + f.height + 18, { size: 11, align: 'center' });
  }
  text(ctx, 'seconds since the run started', f.left + f.width / 2, f.top + f.height + 36, { size: 12, align: 'center' });
  line(ctx, [[f.left, f.top], [f.left, f.top + f.height], [f.left + f.width, f.top + f.height]], COLORS.axis, 1);

  const segments = (values: number[]) => {
    // Only draw where the series is active, so idle stretches don't appear as lines along the floor.
    const out: Array<Array<[number, number]>> = [];
    let cur: Array<[number, number]> = [];
    values.forEach((v, i) => {
      if (v > 0) {
        cur.push([x(i + 0.5), y(v)]);
      } else if (cur.length) {
        out.push(cur);
        cur = [];
      }
    });
    if (cur.length) out.push(cur);
    return out;
  };
  for (const seg of segments(tl.raw)) line(ctx, seg, COLORS.raw, 2);
  for (const seg of segments(tl.bull)) line(ctx, seg, COLORS.bull, 2);
  for (const seg of segments(tl.accepted)) line(ctx, seg, COLORS.accepted, 2);
  for (const seg of segments(tl.delivered)) line(ctx, seg, COLORS.delivered, 2.5);
  legend(ctx, [
    { label: 'Hookline delivered/s (receiver, first 2xx)', color: COLORS.delivered },
    { label: 'Hookline publishes accepted/s (202)', color: COLORS.accepted },
    { label: 'raw undici POSTs/s', color: COLORS.raw },
    { label: 'BullMQ delivered/s', color: COLORS.bull },
  ], f.left, H - 22);
  await save(img, file);
}

/** Latency CDFs (scheduled send → first byte at the receiver), log x axis. */
async function latencyChart(r: BenchReport, file: string): Promise<void> {
  const W = 1080;
  const H = 560;
  const { img, ctx } = whiteCanvas(W, H);
  const f: Frame = { left: 70, top: 70, width: W - 110, height: H - 170 };
  const curves: Array<{ label: string; color: string; q: number[]; dashed?: boolean }> = [];
  const { half, high } = r.latency;
  if (half?.cdf.length) curves.push({ label: `50 % of max (${half.messagesPerSecond} msg/s)`, color: '#1f5fbf', q: half.cdf });
  if (high?.cdf.length) curves.push({ label: `80 % of max (${high.messagesPerSecond} msg/s)`, color: '#c0392b', q: high.cdf });
  if (r.isolation?.soloCdf?.length) curves.push({ label: 'fast endpoint alone', color: '#2e9e44', q: r.isolation.soloCdf, dashed: true });
  if (r.isolation?.mixedCdf?.length) curves.push({ label: 'fast endpoint next to 250 ms one', color: '#8e44ad', q: r.isolation.mixedCdf, dashed: true });
  const all = curves.flatMap((c) => c.q).filter((v) => v > 0);
  const minV = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...all, 1))));
  const maxV = 10 ** Math.ceil(Math.log10(Math.max(...all, 10)));
  const x = logScale(minV, maxV, f.left, f.left + f.width);
  const y = (p: number) => f.top + f.height - p * f.height;

  text(ctx, `Latency CDF — scheduled send → first byte at the receiver (run ${r.runId})`, f.left, 30, { size: 17 });
  text(ctx, 'open-model load, so queueing in any component (REST, Kafka, dispatcher) counts; dashed grey lines mark p50 and p99', f.left, 50, { size: 12, color: '#555' });
  for (let v = minV; v <= maxV; v *= 10) {
    line(ctx, [[x(v), f.top], [x(v), f.top + f.height]], COLORS.grid, 1);
    text(ctx, formatMs(v), x(v), f.top + f.height + 18, { size: 11, align: 'center' });
    for (const m of [2, 5]) if (v * m < maxV) line(ctx, [[x(v * m), f.top], [x(v * m), f.top + f.height]], '#f2f2f2', 1);
  }
  for (let p = 0; p <= 1.0001; p += 0.25) {
    line(ctx, [[f.left, y(p)], [f.left + f.width, y(p)]], COLORS.grid, 1);
    text(ctx, `${Math.round(p * 100)} %`, f.left - 8, y(p) + 4, { size: 11, align: 'right' });
  }
  for (const p of [0.5, 0.99]) line(ctx, [[f.left, y(p)], [f.left + f.width, y(p)]], '#999999', 1, true);
  text(ctx, 'p99', f.left + f.width + 4, y(0.99) + 4, { size: 10, color: '#777' });
  text(ctx, 'latency (log scale)', f.left + f.width / 2, f.top + f.height + 38, { size: 12, align: 'center' });
  line(ctx, [[f.left, f.top], [f.left, f.top + f.height], [f.left + f.width, f.top + f.height]], COLORS.axis, 1);
  for (const c of curves) line(ctx, c.q.map((v, i) => [x(Math.max(minV, v)), y(i / 100)] as [number, number]), c.color, 2.5, c.dashed);
  const rows = curves.map((c) => ({ ...c, label: `${c.label}: p50 ${Math.round(c.q[50])} ms, p99 ${Math.round(c.q[99])} ms, max ${Math.round(c.q[100])} ms` }));
  rows.forEach((c, i) => legend(ctx, [c], f.left + (i % 2) * (f.width / 2), H - 48 + Math.floor(i / 2) * 22));
  await save(img, file);
}

/** Writes the two PNG charts of a run. */
export async function renderCharts(r: BenchReport, throughputFile: string, latencyFile: string): Promise<void> {
  await loadFont();
  await throughputChart(r, throughputFile);
  await latencyChart(r, latencyFile);
}
