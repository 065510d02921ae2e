// The page's building blocks. The CSP allows no inline code or style, so every element is made here with
// createElement, and every value from the API goes in as text, never as markup (it is untrusted data).

export const $ = (id) => document.getElementById(id);

/** An element; strings among the children become text nodes, so API data can never become markup. */
export function h(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'testid') node.dataset.testid = value;
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export const clear = (node) => node.replaceChildren();

let uid = 0;
/** An id unique in the page: labels and aria-* attributes point at elements by id. */
export const nextId = (prefix) => `${prefix}-${++uid}`;

export function section(title, ...children) {
  const headingId = nextId('section');
  return h('section', { class: 'card', 'aria-labelledby': headingId }, h('h2', { class: 'card-title', id: headingId }, title), ...children);
}

/** Terms and their values (text or elements), as `[term, value]` rows. */
export function facts(rows, testid) {
  return h('dl', { class: 'facts', testid }, rows.map(([term, value]) => [h('dt', null, term), h('dd', null, value)]));
}

export function button(label, props, onClick) {
  return h('button', { type: 'button', class: 'btn btn-secondary', ...props, onclick: onClick }, label);
}

/** What a list shows when it has nothing in it. */
export function emptyCard(title, text, props) {
  return h('div', { ...props, class: 'empty card' }, h('p', { class: 'empty-title' }, title), h('p', { class: 'muted' }, text));
}
