/**
 * The code each transformation worker process runs (started with `node -e`, so it needs no file of its own next to the
 * compiled JavaScript, nor a TypeScript loader under ts-node or jest). It says `{ ready: true }` once it can take work,
 * compiles each expression once (the most recent 256 are kept) and answers `{ id, ok, json }` or
 * `{ id, ok: false, message }` for every task; it leaves when its parent does.
 */
export function workerSource(jsonataPath: string): string {
  return `
'use strict';
const jsonata = require(${JSON.stringify(jsonataPath)});
const compiled = new Map();

function compile(expression) {
  let expr = compiled.get(expression);
  if (expr === undefined) {
    expr = jsonata(expression);
    if (compiled.size >= 256) compiled.delete(compiled.keys().next().value);
    compiled.set(expression, expr);
  }
  return expr;
}

function describe(err) {
  const message = err && err.message ? String(err.message) : String(err);
  return err && typeof err.position === 'number' ? message + ' (at character ' + err.position + ')' : message;
}

const answer = (message) => process.send(message);
process.on('disconnect', () => process.exit(0));
process.on('message', (task) => {
  Promise.resolve()
    .then(() => compile(task.expression).evaluate(task.input, task.bindings))
    .then((result) => {
      const json = result === undefined ? undefined : JSON.stringify(result);
      if (json === undefined) return answer({ id: task.id, ok: false, message: 'it gave no result for this message' });
      if (Buffer.byteLength(json) > task.maxBytes) {
        return answer({ id: task.id, ok: false, message: 'its result is larger than ' + task.maxBytes + ' bytes' });
      }
      answer({ id: task.id, ok: true, json });
    }, (err) => answer({ id: task.id, ok: false, message: describe(err) }));
});
answer({ ready: true });
`;
}
