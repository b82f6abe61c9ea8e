// Short messages shared by the pages.
import { h } from '../dom.js';

export function insufficientNote(minProbes) {
  return h('p', { class: 'insufficient-note' },
    h('strong', {}, 'Insufficient data: '),
    `fewer than ${minProbes || 'k'} distinct probes ran in this window, so no share is published `,
    '(a group needs at least k probes: aggregates never identify a host).');
}

export function errorBox(err) {
  return h('div', { class: 'error', role: 'alert' },
    h('h1', {}, 'Could not load the data'),
    h('p', {}, err && err.message ? err.message : String(err)),
    h('p', {}, 'The collector answered with an error or is unreachable; try again later.'));
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}
