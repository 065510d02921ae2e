/** The control schema: which generation is live. Read models live in `query_g<N>` (see read-models.ts). */
export const CONTROL_SCHEMA = 'query';

/** Schema name of a read-model generation. Generations are positive integers, so the name needs no quoting rules. */
export function generationSchema(generation: number): string {
  if (!Number.isInteger(generation) || generation < 1) throw new Error(`read-model generation must be a positive integer, got ${generation}`);
  return `${CONTROL_SCHEMA}_g${generation}`;
}
