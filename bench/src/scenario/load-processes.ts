import { TrackedGroup, findPids } from '../measure/proc-stats';
import { startWorker, Worker } from '../processes/ipc';
import { Stack } from '../stack/stack';

/** The two worker processes every load needs: the webhook receiver and the REST load generator. */
export interface LoadWorkers {
  receiver: Worker;
  generator: Worker;
  /** Where the receiver listens; endpoints point below it. */
  receiverUrl: string;
}

/** Starts the receiver and the generator (each its own process, so their CPU is measured apart). */
export async function startLoadWorkers(started: Worker[]): Promise<LoadWorkers> {
  const receiver = await startWorker('receiver', 'receiver.process.ts');
  started.push(receiver);
  const generator = await startWorker('generator', 'generator.process.ts');
  started.push(generator);
  const receiverUrl = (await receiver.call<{ url: string }>('info')).url;
  return { receiver, generator, receiverUrl };
}

/** A process this run started, followed through its current pid (0: not running). */
export const ownedGroup = (name: string, pid: () => number): TrackedGroup => ({ name, ownedByRun: true, pids: () => (pid() ? [pid()] : []) });

/** The stack's three services and the two load workers, under the names the reports use. */
export function serviceGroups(stack: Stack, { receiver, generator }: LoadWorkers): TrackedGroup[] {
  return [
    ownedGroup('command-service', () => stack.services['command-service'].pid),
    ownedGroup('dispatcher', () => stack.services.dispatcher.pid),
    ownedGroup('query-service', () => stack.services['query-service'].pid),
    ownedGroup('receiver', () => receiver.pid),
    ownedGroup('generator', () => generator.pid),
  ];
}

/** The run database's Postgres backends, and the Kafka broker (shared: other users of it count too). */
export function infrastructureGroups(stack: Stack): TrackedGroup[] {
  return [
    { name: 'postgres (run db backends)', ownedByRun: true, pids: () => findPids((cmd, comm) => comm === 'postgres' && cmd.includes(stack.databaseName)) },
    kafkaBrokerGroup,
  ];
}

/** The Kafka broker's JVM, found by its main class (shared: other users of it count too). */
export const kafkaBrokerGroup: TrackedGroup = { name: 'kafka broker (shared)', ownedByRun: false, pids: () => findPids('kafka.Kafka') };
