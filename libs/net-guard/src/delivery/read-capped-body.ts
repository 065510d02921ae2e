import type { Dispatcher } from 'undici';

type ResponseBody = Dispatcher.ResponseData['body'];

/** The kept start of a response body. */
export interface CappedBody {
  bytes: Buffer;
  /** More bytes followed the kept prefix. */
  truncated: boolean;
}

/**
 * Keeps the first `maxBytes` of a response body and never holds more than one extra chunk. The body is always
 * finished: read to its end, or drained (read and dropped) for up to `maxDrainBytes` more so the keep-alive socket
 * goes back to the pool, or destroyed when longer than that (undici then closes the socket; a bounded loss instead
 * of streaming an arbitrarily large body we would throw away).
 */
export async function readCappedBody(body: ResponseBody, maxBytes: number, maxDrainBytes: number): Promise<CappedBody> {
  const kept: Buffer[] = [];
  let keptBytes = 0;

  const truncated = await new Promise<boolean>((resolve, reject) => {
    const settle = (outcome: () => void): void => {
      body.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      outcome();
    };
    const onData = (chunk: Buffer): void => {
      const room = maxBytes - keptBytes;
      if (chunk.length <= room) {
        kept.push(chunk);
        keptBytes += chunk.length;
        return;
      }
      if (room > 0) kept.push(chunk.subarray(0, room));
      keptBytes = maxBytes;
      body.pause();
      settle(() => resolve(true));
    };
    const onEnd = (): void => settle(() => resolve(false));
    const onError = (error: Error): void => settle(() => reject(error));
    const onClose = (): void => settle(() => reject(new Error('the response body closed before it ended')));
    body.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });

  // dump() counts every byte read so far, so the limit includes the kept prefix. It settles on close; a receiver that
  // stalls mid-body is cut off by the request's body timeout or deadline, and the status we have is still the answer.
  if (truncated) await body.dump({ limit: maxBytes + maxDrainBytes }).catch(() => undefined);
  return { bytes: Buffer.concat(kept), truncated };
}
