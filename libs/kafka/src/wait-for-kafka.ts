import { Kafka, logLevel } from 'kafkajs';

/**
 * Resolves once the cluster answers a metadata request; rejects after `timeoutMs` with one line saying which
 * brokers did not answer. The probe client neither retries internally nor logs, so an unreachable cluster ends
 * start-up with a clear message instead of minutes of kafkajs retry logs.
 */
export async function waitForKafka(brokers: string[], timeoutMs = 30_000): Promise<void> {
  const probe = new Kafka({ clientId: 'hookline-startup-probe', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 2000, retry: { retries: 0 } });
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const admin = probe.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch (err) {
      last = err;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Kafka at ${brokers.join(',')} unreachable after ${Math.round(timeoutMs / 1000)} s: ${(last as Error)?.message ?? 'no answer'}`);
}
