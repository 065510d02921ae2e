import { parseDocument } from 'yaml';
import { FieldProblem, ProblemError } from '@hookline/service-kit';
import { jsonStorageProblem } from '../../shared/json-limits';

// Errors past these are not listed: a document that is not YAML at all would otherwise answer one per line.
const MAX_LISTED_ERRORS = 10;

/**
 * The OpenAPI document an import was given: as JSON (an object), or as the document's text, YAML or JSON (YAML 1.2's
 * core schema reads JSON as it is), so a spec kept as `openapi.yaml`, as most are, is imported without converting it.
 * YAML is read strictly: one document, unique keys, no `<<` merge keys, anchors reused at most 100 times (so a
 * "billion laughs" document cannot expand past the body limit), and only what JSON can hold (`.inf` and `.nan` are
 * refused). Refusals are 400s naming `pointer` with the line and column.
 */
export function openApiDocumentOf(spec: Record<string, unknown> | string, pointer: string): Record<string, unknown> {
  if (typeof spec !== 'string') return spec;
  const name = pointer.slice(1);
  const doc = parseDocument(spec, { schema: 'core', uniqueKeys: true, merge: false, prettyErrors: true, strict: true });
  if (doc.errors.length) {
    // With prettyErrors, a message's first line ends "at line 3, column 9:" (the lines after it quote the source).
    const problems: FieldProblem[] = doc.errors.slice(0, MAX_LISTED_ERRORS).map((e) => ({ pointer, detail: firstLine(e.message).replace(/:$/, '') }));
    throw new ProblemError('validation', `${name} is neither a JSON object nor a YAML document`, problems);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new ProblemError('validation', `${name} can't be read: ${firstLine((err as Error).message)}`, [{ pointer, detail: firstLine((err as Error).message) }]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProblemError('validation', `${name} must be an OpenAPI document (a mapping at its top)`, [{ pointer, detail: 'not a mapping' }]);
  }
  const problem = notJson(value, pointer) ?? jsonStorageProblem(value, pointer);
  if (problem) throw new ProblemError('validation', `${name} contains a value that can't be accepted: ${problem.detail}`, [problem]);
  return value as Record<string, unknown>;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

/** The first value JSON has no form for (YAML's `.inf`, `-.inf`, `.nan`), with where it is; iterative like jsonStorageProblem. */
function notJson(value: unknown, pointer: string): FieldProblem | null {
  const stack: Array<{ v: unknown; at: string }> = [{ v: value, at: pointer }];
  while (stack.length) {
    const { v, at } = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) return { pointer: at, detail: `${v} is not a JSON number` };
    if (v === null || typeof v !== 'object') continue;
    for (const [k, child] of Object.entries(v)) stack.push({ v: child, at: `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
  return null;
}
