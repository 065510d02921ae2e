/** The control schema: which generation is live. Read models live in `query_g<N>` (see read-models.ts). */
export const CONTROL_SCHEMA = 'query';

/** Schema name of a read-model generation. Generations are positive integers, so the name needs no quoting rules. */
export function generationSchema(generation: number): string {
  if (!Number.isInteger(generation) || generation < 1) throw new Error(`read-model generation must be a positive integer, got ${generation}`);
  return `${CONTROL_SCHEMA}_g${generation}`;
}

/**
 * generationSchema() as SQL over a row of `query.active_generation`: sets the transaction's search_path to the active
 * generation in the same statement that reads (and, with FOR SHARE, pins) the pointer.
 */
export const SET_ACTIVE_SEARCH_PATH_SQL = `set_config('search_path', '${CONTROL_SCHEMA}_g' || generation, true)`;
