import { DataSource } from 'typeorm';
import { generationSchema } from '../database/control/generation-schema';
import { READ_MODEL_TABLES } from '../database/read-model/entities';

/** Every read-model table of a generation as sorted JSON text, to compare two generations (or two moments) exactly. */
export async function dumpGeneration(ds: DataSource, generation: number): Promise<Record<string, string[]>> {
  const schema = generationSchema(generation);
  const dump: Record<string, string[]> = {};
  for (const table of READ_MODEL_TABLES) {
    const rows: Array<{ row: string }> = await ds.query(`SELECT row_to_json(t)::text AS row FROM ${schema}.${table} t`);
    dump[table] = rows.map((r) => r.row).sort();
  }
  return dump;
}
