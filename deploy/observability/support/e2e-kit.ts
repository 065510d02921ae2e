import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  /** Every value of `traceparent` as sent (more than one would be a propagation bug). */
  traceparents: string[];
  body: string;
}

/** A webhook receiver on 127.0.0.1 that answers each request with the status `statusFor` picks and records it. */
export async function startWebhookReceiver(statusFor: (path: string, seen: number) => number): Promise<{
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      const traceparents: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === 'traceparent') traceparents.push(req.rawHeaders[i + 1]);
      const seen = received.filter((r) => r.path === path).length;
      received.push({ path, headers: req.headers, traceparents, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(statusFor(path, seen)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Calls a Hookline REST API with a bearer key; throws with the status and body unless it answers 2xx. */
export async function api<T = Record<string, unknown>>(url: string, key: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}
