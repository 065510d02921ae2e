// Form fields and the errors a refused request puts next to them.
import { problemText } from './api.js';
import { clear, h } from './dom.js';
import { busy } from './errors.js';

/** A labelled field; `input` carries the id the label points at. */
export function field(label, input, error, className = 'field') {
  return h('div', { class: className }, h('label', { for: input.id }, label), input, error);
}

/** The error line under a field, named by the field's aria-describedby (`<id>-error`). */
export const fieldError = (id) => h('p', { class: 'field-error', id: `${id}-error`, hidden: true });

/** A select of [value, text] options. */
export const selectInput = (props, options) => h('select', props, options.map(([value, text]) => h('option', { value }, text)));

/**
 * A form's error area: the problem's detail at the top, each field error under its field (matched by the JSON
 * pointer's first segment), and the field errors without a field of this form listed at the top too. A field made of
 * parts (a row per header) has `at(rest)`, the part the rest of the pointer names, to put its error under that part.
 */
export function problemArea(form, fields) {
  const summary = h('div', { class: 'form-error', role: 'alert', testid: 'form-error', hidden: true });
  form.prepend(summary);
  /** The entries showing an error, parts included (a part may be gone by the next clear, which does not matter). */
  const marked = new Set();
  const entryOf = (pointer) => {
    const [, name, ...rest] = String(pointer || '').split('/');
    const entry = fields[name];
    return (entry && rest.length && entry.at && entry.at(rest.join('/'))) || entry;
  };
  const area = {
    clear() {
      summary.hidden = true;
      clear(summary);
      for (const entry of marked) {
        entry.error.hidden = true;
        entry.error.textContent = '';
        entry.input?.removeAttribute('aria-invalid');
      }
      marked.clear();
    },
    show(problem) {
      area.clear();
      const placed = [];
      const unplaced = [];
      for (const error of problem.errors || []) {
        const entry = entryOf(error.pointer);
        if (!entry) {
          unplaced.push(error.detail);
          continue;
        }
        placed.push(error.detail);
        marked.add(entry);
        entry.error.textContent = entry.error.textContent ? `${entry.error.textContent}; ${error.detail}` : error.detail;
        entry.error.hidden = false;
        entry.input?.setAttribute('aria-invalid', 'true');
      }
      const detail = problemText(problem) || 'The request was refused.';
      // A detail that only repeats the one field error would say it twice.
      summary.append(h('p', null, placed.length === 1 && placed[0] === detail ? 'Please correct the field marked below.' : detail));
      if (unplaced.length) summary.append(h('ul', null, unplaced.map((d) => h('li', null, d))));
      summary.hidden = false;
    },
    field(name, message) {
      area.show({ detail: 'Please correct the highlighted field.', errors: [{ pointer: `/${name}`, detail: message }] });
    },
  };
  return area;
}

/** Runs `action` on submit with the button busy and the form's earlier errors cleared; a refusal shows in `problems`. */
export function onSubmit(form, submit, problems, action) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      problems.clear();
      await action();
    }, problems)();
  });
}
