// Build DOM safely: `h(tag, attrs, ...children)`. Text is always a text node (never parsed as
// HTML), so data from the server cannot inject markup: no data is ever parsed as HTML.
//
// attrs: `class`, `for`, `data-*`, `aria-*`, boolean properties (`hidden`, `disabled`, `checked`)
// and `on<event>` handlers (`onclick: fn`); `null`/`undefined`/`false` values are skipped.
// children: strings, numbers, nodes, arrays of those, and null/false (skipped).

const PROPERTIES = new Set(["value", "checked", "disabled", "hidden", "selected", "open",
  "muted", "autoplay", "playsInline", "tabIndex", "draggable"]);

export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) setAttrs(node, attrs);
  append(node, children);
  return node;
}

export function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (PROPERTIES.has(name)) {
      node[name] = value;
    } else if (name === "dataset") {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Replace everything inside `node` with `children`.
export function mount(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

// Make `parent`'s children the nodes for `items` ({key, signature, build()}), in that order.
// A child built here for the same key with the same signature (a string naming everything its
// drawing and its handlers depend on) stays as it is, neither rebuilt nor moved out and back,
// so the browser keeps its layout, its shaped text and its focus; only the others are built.
// A null from `build` is no child. Returns the nodes now there.
const drawnAs = new WeakMap(); // node → {key, signature}

export function keyed(parent, items) {
  const kept = new Map();
  for (const child of [...parent.children]) {
    const drawn = drawnAs.get(child);
    if (drawn && !kept.has(drawn.key)) kept.set(drawn.key, { node: child, signature: drawn.signature });
  }
  const nodes = [];
  for (const item of items) {
    const old = kept.get(item.key);
    kept.delete(item.key);
    if (old && old.signature === item.signature) { nodes.push(old.node); continue; }
    const node = item.build();
    if (!node) continue;
    drawnAs.set(node, { key: item.key, signature: item.signature });
    nodes.push(node);
  }
  // What goes leaves first, so what stays need not move past it.
  const wanted = new Set(nodes);
  for (const child of [...parent.childNodes]) if (!wanted.has(child)) child.remove();
  let at = parent.firstChild;
  for (const node of nodes) {
    if (node === at) at = at.nextSibling;
    else parent.insertBefore(node, at);
  }
  return nodes;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

// A stable element id from any string (for aria-labelledby / for=).
let counter = 0;
export function uid(prefix = "p") {
  counter += 1;
  return `${prefix}-${counter}`;
}
