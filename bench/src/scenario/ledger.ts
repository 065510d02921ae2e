import { decodePosition } from '@hookline/contracts';
import { PublishedMessage, ReceivedRequest, deliveryKey } from '../gate/integrity-gate';
import type { PublishLog } from '../processes/generator.process';
import type { Worker } from '../processes/ipc';
import { BenchTenant } from './setup';

export interface MessageRecord {
  messageId: string;
  tenant: BenchTenant;
  phase: string;
  scheduledAt: number;
  sentAt: number;
  acceptedAt: number;
  partition: number;
  offset: bigint;
}

export interface DeliveryRecord {
  key: string;
  message: MessageRecord;
  endpointPath: string;
  /** First 2xx answer at the receiver; null when none yet. */
  arrivedAt: number | null;
}

interface Take {
  labels: string[];
  label: number[];
  webhookId: string[];
  at: number[];
  status: number[];
}

/**
 * Everything the run published and everything the receiver saw, joined by (endpoint, webhook-id = message id).
 * The source of every figure and of the integrity gate.
 */
export class Ledger {
  readonly messages = new Map<string, MessageRecord>();
  readonly requests: Array<ReceivedRequest & { at: number }> = [];
  readonly publishFailures = new Map<string, number>();
  unacknowledged = 0;
  private readonly firstOk = new Map<string, number>();
  private readonly endpointByPath = new Map<string, { endpointId: string; tenant: BenchTenant }>();

  addTenant(t: BenchTenant): void {
    for (const e of t.endpoints) this.endpointByPath.set(e.path, { endpointId: e.endpointId, tenant: t });
  }

  endpointId(path: string): string | undefined {
    return this.endpointByPath.get(path)?.endpointId;
  }

  /** Records a generator log; returns the accepted messages and how many publishes failed. */
  addPublishes(phase: string, streams: Array<{ tenants: BenchTenant[] }>, log: PublishLog): { accepted: MessageRecord[]; failed: number; scheduled: number } {
    const accepted: MessageRecord[] = [];
    let failed = 0;
    for (let i = 0; i < log.scheduledAt.length; i++) {
      const status = log.status[i];
      if (status < 200 || status > 299) {
        failed++;
        // No answer, or a 5xx: the append may still have happened.
        if (status === 0 || status >= 500) this.unacknowledged++;
        const k = String(status);
        this.publishFailures.set(k, (this.publishFailures.get(k) ?? 0) + 1);
        continue;
      }
      const [pos] = decodePosition(log.position[i]) ?? [];
      const m: MessageRecord = {
        messageId: log.messageId[i],
        tenant: streams[log.stream[i]].tenants[log.target[i]],
        phase,
        scheduledAt: log.scheduledAt[i],
        sentAt: log.sentAt[i],
        acceptedAt: log.doneAt[i],
        partition: pos?.partition ?? -1,
        offset: BigInt(pos?.offset ?? -1),
      };
      this.messages.set(m.messageId, m);
      accepted.push(m);
    }
    return { accepted, failed, scheduled: log.scheduledAt.length };
  }

  /** Pulls the receiver's new records. */
  async pull(receiver: Worker): Promise<void> {
    const t = await receiver.call<Take>('take');
    for (let i = 0; i < t.at.length; i++) {
      const path = t.labels[t.label[i]];
      const endpointId = this.endpointByPath.get(path)?.endpointId ?? `unknown:${path}`;
      const r = { endpointId, webhookId: t.webhookId[i], status: t.status[i], at: t.at[i] };
      this.requests.push(r);
      if (r.status >= 200 && r.status <= 299) {
        const k = deliveryKey(endpointId, r.webhookId);
        if (!this.firstOk.has(k)) this.firstOk.set(k, r.at);
      }
    }
  }

  deliveriesOf(messages: MessageRecord[]): DeliveryRecord[] {
    const out: DeliveryRecord[] = [];
    for (const m of messages) {
      for (const e of m.tenant.endpoints) {
        const key = deliveryKey(e.endpointId, m.messageId);
        out.push({ key, message: m, endpointPath: e.path, arrivedAt: this.firstOk.get(key) ?? null });
      }
    }
    return out;
  }

  /** Expected deliveries still without a 2xx. */
  undelivered(messages: Iterable<MessageRecord> = this.messages.values()): DeliveryRecord[] {
    return this.deliveriesOf([...messages]).filter((d) => d.arrivedAt === null);
  }

  firstOkAt(key: string): number | undefined {
    return this.firstOk.get(key);
  }

  publishedForGate(): PublishedMessage[] {
    return [...this.messages.values()].map((m) => ({
      messageId: m.messageId,
      endpointIds: m.tenant.endpoints.map((e) => e.endpointId),
      partition: m.partition,
      offset: m.offset,
    }));
  }
}
