import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import otlpProto from '@opentelemetry/otlp-transformer/build/src/generated/root';

/** OTLP span kinds (`SPAN_KIND_*` in trace.proto). */
export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

/** One exported span, flattened: ids as lower-case hex, attributes as plain values, the service from its resource. */
export interface ReceivedSpan {
  service: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  attributes: Record<string, string | number | boolean>;
  links: Array<{ traceId: string; spanId: string }>;
  /** Start and end, ms since the epoch (to the microsecond). */
  startMs: number;
  endMs: number;
}

export interface OtlpReceiver {
  /** The base URL to put in OTEL_EXPORTER_OTLP_ENDPOINT (`/v1/traces` is appended by the exporters). */
  url: string;
  spans: ReceivedSpan[];
  /** Every request body as received, for scanning for secrets. */
  rawBodies: string[];
  close(): Promise<void>;
}

type Id = string | Uint8Array | undefined | null;
interface AnyValue {
  stringValue?: string;
  intValue?: number | string | { toString(): string };
  doubleValue?: number;
  boolValue?: boolean;
}
// A 64-bit count of nanoseconds: a decimal string in OTLP/JSON, a number or a Long from protobuf.
type Nanos = string | number | { toString(): string } | undefined | null;
interface OtlpSpan {
  name: string;
  kind?: number;
  startTimeUnixNano?: Nanos;
  endTimeUnixNano?: Nanos;
  traceId: Id;
  spanId: Id;
  parentSpanId?: Id;
  attributes?: Array<{ key: string; value?: AnyValue }>;
  links?: Array<{ traceId: Id; spanId: Id }>;
}
interface ExportTraceServiceRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value?: AnyValue }> };
    scopeSpans?: Array<{ spans?: OtlpSpan[] }>;
  }>;
}

interface ProtoMessageType {
  decode(bytes: Uint8Array): unknown;
}
const exportRequestType = (otlpProto as unknown as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: ProtoMessageType } } } } };
}).opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * A minimal OTLP/HTTP trace receiver on 127.0.0.1, standing in for the collector: accepts `POST /v1/traces` as JSON
 * (`application/json`, what `@opentelemetry/exporter-trace-otlp-http` sends) or protobuf (`application/x-protobuf`, the
 * `-proto` exporter and most other SDKs), and keeps every span.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const rawBodies: string[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
      let request: ExportTraceServiceRequest;
      try {
        if (type === 'application/json') request = JSON.parse(body.toString('utf8')) as ExportTraceServiceRequest;
        else if (type === 'application/x-protobuf') request = exportRequestType.decode(body) as ExportTraceServiceRequest;
        else return void res.writeHead(415).end();
      } catch {
        return void res.writeHead(400).end();
      }
      rawBodies.push(body.toString('utf8'));
      spans.push(...flatten(request));
      res.writeHead(200, { 'content-type': type }).end(type === 'application/json' ? '{}' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    rawBodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function flatten(request: ExportTraceServiceRequest): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        out.push({
          service: String(resource['service.name'] ?? ''),
          name: span.name,
          kind: span.kind ?? 0,
          traceId: hex(span.traceId),
          spanId: hex(span.spanId),
          parentSpanId: hex(span.parentSpanId),
          attributes: attributesOf(span.attributes),
          links: (span.links ?? []).map((link) => ({ traceId: hex(link.traceId), spanId: hex(link.spanId) })),
          startMs: millis(span.startTimeUnixNano),
          endMs: millis(span.endTimeUnixNano),
        });
      }
    }
  }
  return out;
}

function millis(nanos: Nanos): number {
  if (nanos === undefined || nanos === null) return NaN;
  return Number(BigInt(nanos.toString()) / 1000n) / 1000;
}

// OTLP/JSON carries ids as hex strings; protobuf as bytes.
function hex(id: Id): string {
  if (id === undefined || id === null) return '';
  return typeof id === 'string' ? id.toLowerCase() : Buffer.from(id).toString('hex');
}

function attributesOf(list: Array<{ key: string; value?: AnyValue }> | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    if (value?.stringValue !== undefined) out[key] = value.stringValue;
    else if (value?.boolValue !== undefined) out[key] = value.boolValue;
    else if (value?.doubleValue !== undefined) out[key] = value.doubleValue;
    else if (value?.intValue !== undefined) out[key] = Number(value.intValue.toString());
  }
  return out;
}
