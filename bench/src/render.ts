// Re-renders the Markdown summary and charts of a results file (after a change to the report's layout):
//   node -r @swc-node/register bench/src/render.ts bench/results/<runId>.json
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderCharts } from './report/charts';
import { renderMarkdown } from './report/markdown';
import type { BenchReport } from './report/bench-report';

async function main(file: string): Promise<void> {
  const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
  const dir = path.dirname(file);
  const files = { json: `${report.runId}.json`, md: `${report.runId}.md`, throughput: `${report.runId}-throughput.png`, latency: `${report.runId}-latency-cdf.png` };
  if (report.gate.passed) await renderCharts(report, path.join(dir, files.throughput), path.join(dir, files.latency));
  writeFileSync(path.join(dir, files.md), renderMarkdown(report, files));
  // latest.md follows the newest run (run ids sort by time).
  const newest = readdirSync(dir).filter((f) => /^\d{8}t\d{6}z\.json$/.test(f)).sort().pop();
  if (newest === files.json) copyFileSync(path.join(dir, files.md), path.join(dir, 'latest.md'));
  process.stdout.write(`rendered ${path.join(dir, files.md)}\n`);
}

main(process.argv[2]).catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
