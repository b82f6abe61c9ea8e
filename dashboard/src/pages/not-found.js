// Unknown routes and malformed codes.
import { add, h } from '../dom.js';

export function notFound(view, why) {
  add(view,
    h('h1', {}, 'Not found'),
    h('p', {}, why || 'There is no such page.'),
    h('p', {}, h('a', { href: '#/' }, 'Back to the map')));
  return 'Not found';
}

export async function render(view) {
  return notFound(view);
}
