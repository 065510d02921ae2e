import { ProblemError } from '@hookline/service-kit';
import { jsonStorageProblem } from './json-limits';

/** Metadata is a flat string→string map with bounded size, so it can be indexed and shown. */
export function validateMetadata(metadata: unknown, pointer: string): void {
  if (metadata === undefined) return;
  const entries = Object.entries(metadata as Record<string, unknown>);
  const problems = [];
  if (entries.length > 50) problems.push({ pointer, detail: 'at most 50 metadata entries' });
  for (const [k, v] of entries) {
    if (typeof v !== 'string') problems.push({ pointer: `${pointer}/${k}`, detail: 'metadata values must be strings' });
    else if (v.length > 1000 || k.length > 100) problems.push({ pointer: `${pointer}/${k}`, detail: 'metadata keys are at most 100 and values 1000 characters' });
  }
  if (problems.length) throw new ProblemError('validation', 'invalid metadata', problems);
}

/** Parses a JSON text field (gRPC carries free-form JSON as text); a parse failure names the field. */
export function parseJsonField(text: string | undefined, pointer: string): unknown {
  if (text === undefined || text === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProblemError('validation', `${pointer.slice(1)} is not valid JSON`, [{ pointer, detail: 'malformed JSON' }]);
  }
  // The text itself passed the input check; what it decodes to (a "\u0000" escape, deep nesting) has not.
  const problem = jsonStorageProblem(value, pointer);
  if (problem) throw new ProblemError('validation', `${pointer.slice(1)} contains a value that can't be accepted: ${problem.detail}`, [problem]);
  return value;
}

/**
 * A message's payload, as published: refused (413) above MAX_PAYLOAD_BYTES once serialised, whether it is published or
 * a preview's sample (a payload publish would refuse is no message a delivery could be made of).
 */
export function requirePayloadWithinLimit(payload: unknown, maxBytes: number): void {
  const size = Buffer.byteLength(JSON.stringify(payload));
  if (size > maxBytes) {
    throw new ProblemError('payload_too_large', `payload is ${size} bytes; the limit is ${maxBytes} (Standard Webhooks recommends staying under 20 KB)`, [{ pointer: '/payload', detail: 'too large' }]);
  }
}
