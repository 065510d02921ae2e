// The last 24 hours as bars, one per hour (the query service's /stats, of an endpoint or of all of them): succeeded
// below, failed stacked on top, so a bad hour shows at a glance. SVG, whose sizes are attributes, since the
// CSP allows no inline style; each bar's <title> says its figures in words, for a pointer and a screen reader alike.
import { h } from './dom.js';
import { clockTime } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const BAR = 10;
const GAP = 2;
const HEIGHT = 60;

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  node.append(...children);
  return node;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describe(bucket) {
  const from = clockTime.format(new Date(bucket.start));
  const to = clockTime.format(new Date(Date.parse(bucket.start) + 3_600_000));
  if (!bucket.attempts) return `${from}–${to}: no attempts`;
  // The tenant's statistics have no latency (one figure over all endpoints would describe none of them).
  const latency = bucket.latency_p50_ms === null || bucket.latency_p50_ms === undefined ? '' : `, p50 ${bucket.latency_p50_ms} ms`;
  return `${from}–${to}: ${plural(bucket.attempts, 'attempt')}, ${bucket.succeeded} succeeded, ${bucket.failed} failed${latency}`;
}

export function deliveryChart(stats) {
  const { buckets, totals } = stats;
  const most = Math.max(1, ...buckets.map((b) => b.attempts));
  const width = buckets.length * (BAR + GAP) - GAP;
  const bars = buckets.map((bucket, i) => {
    const x = i * (BAR + GAP);
    const ok = (bucket.succeeded / most) * HEIGHT;
    const bad = (bucket.failed / most) * HEIGHT;
    // A quiet hour keeps a sliver, so the hours read as a row of slots rather than gaps.
    const parts = bucket.attempts
      ? [svg('rect', { x, y: HEIGHT - ok, width: BAR, height: ok, class: 'chart-ok' }),
        svg('rect', { x, y: HEIGHT - ok - bad, width: BAR, height: bad, class: 'chart-bad' })]
      : [svg('rect', { x, y: HEIGHT - 1, width: BAR, height: 1, class: 'chart-none' })];
    return svg('g', { 'data-testid': 'chart-bar', 'data-attempts': bucket.attempts, 'data-failed': bucket.failed },
      svg('title', {}, describe(bucket)), ...parts);
  });
  const summary = totals.attempts
    ? `${plural(totals.attempts, 'attempt')} in the last 24 hours, ${totals.failed} failed`
    : 'No attempts in the last 24 hours';
  return h('figure', { class: 'chart', testid: 'delivery-chart' },
    svg('svg', { viewBox: `0 0 ${width} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': summary, class: 'chart-plot' }, ...bars),
    h('div', { class: 'chart-axis', 'aria-hidden': 'true' }, h('span', null, '24 h ago'), h('span', null, 'now')),
    h('figcaption', { class: 'chart-caption muted', testid: 'delivery-chart-caption' }, summary));
}
