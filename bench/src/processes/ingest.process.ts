// Runs bench/ingest.bench.ts (REST accepted/s vs a raw kafkajs producer; it starts its own command service, database
// and topics) in a process of its own, so its CPU is counted apart from the harness.
import { runIngestBench } from '../../ingest.bench';
import { serveParent } from './ipc';

serveParent({
  run: (args) => runIngestBench({ quick: Boolean(args.quick), brokers: args.brokers as string[], log: (line) => process.stdout.write(`[ingest] ${line}\n`) }),
});
