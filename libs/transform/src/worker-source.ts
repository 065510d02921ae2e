/**
 * The code each transformation worker runs (a worker started from source text, so it needs no file of its own next to
 * the compiled JavaScript, nor a TypeScript loader under ts-node or jest). It compiles each expression once (the most
 * recent 256 are kept) and answers `{ id, ok, json }` or `{ id, ok: false, message }` for every task.
 */
export function workerSource(jsonataPath: string): string {
  return `
'use strict';
const { parentPort } = require('node:worker_threads');
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

parentPort.on('message', (task) => {
  Promise.resolve()
    .then(() => compile(task.expression).evaluate(task.input, task.bindings))
    .then((result) => {
      const json = result === undefined ? undefined : JSON.stringify(result);
      if (json === undefined) return parentPort.postMessage({ id: task.id, ok: false, message: 'it gave no result for this message' });
      if (Buffer.byteLength(json) > task.maxBytes) {
        return parentPort.postMessage({ id: task.id, ok: false, message: 'its result is larger than ' + task.maxBytes + ' bytes' });
      }
      parentPort.postMessage({ id: task.id, ok: true, json });
    }, (err) => parentPort.postMessage({ id: task.id, ok: false, message: describe(err) }));
});
`;
}
