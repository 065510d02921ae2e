// `npm run bench` (full, ≤ 10 min) and `npm run bench:quick` (≤ 2 min): see bench/README.md.
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { PROFILES, Profile } from './profiles';
import { runBench } from './run-bench';
import { renderCharts } from './report/charts';
import { renderMarkdown } from './report/markdown';

const RESULTS = path.resolve(__dirname, '..', 'results');

function log(msg: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

async function main(argv: string[]): Promise<number> {
  const flags = argv.filter((a) => a.startsWith('--'));
  const name = (argv.find((a) => !a.startsWith('--')) ?? 'full') as Profile['name'];
  const profile = PROFILES[name];
  const unknown = flags.filter((f) => f !== '--cpu-prof' && f !== '--drain-only');
  if (!profile || unknown.length) {
    process.stderr.write(`usage: bench/src/main.ts full|quick [--cpu-prof] [--drain-only] (got "${argv.join(' ')}")\n`);
    return 2;
  }
  const report = await runBench(profile, log, { cpuProfile: flags.includes('--cpu-prof'), drainOnly: flags.includes('--drain-only') });
  mkdirSync(RESULTS, { recursive: true });
  const stamp = report.runId;
  const files = { json: `${stamp}.json`, md: `${stamp}.md`, throughput: `${stamp}-throughput.png`, latency: `${stamp}-latency-cdf.png` };
  writeFileSync(path.join(RESULTS, files.json), JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 1));
  if (report.gate.passed) {
    try {
      await renderCharts(report, path.join(RESULTS, files.throughput), path.join(RESULTS, files.latency));
    } catch (err) {
      report.errors.push(`charts: ${(err as Error).message}`);
    }
  }
  writeFileSync(path.join(RESULTS, files.md), renderMarkdown(report, files));
  copyFileSync(path.join(RESULTS, files.md), path.join(RESULTS, 'latest.md'));
  log(`results: bench/results/${files.md} (also latest.md), ${files.json}${report.gate.passed ? `, ${files.throughput}, ${files.latency}` : ''}`);
  if (!report.gate.passed) {
    log(`INTEGRITY GATE FAILED — no speed is reported: ${report.gate.failures.join('; ')}`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`[bench] failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
