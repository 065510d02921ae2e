import { ProblemError } from '@hookline/service-kit';

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
  try {
    return JSON.parse(text);
  } catch {
    throw new ProblemError('validation', `${pointer.slice(1)} is not valid JSON`, [{ pointer, detail: 'malformed JSON' }]);
  }
}
