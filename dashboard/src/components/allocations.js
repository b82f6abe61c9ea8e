// Allocation context for a country: its IPv6 delegations in the RIR
// statistics files the collector loaded, shown beside what was measured.
import { h } from '../dom.js';
import { int, number, pct } from '../format.js';
import { fact } from './group-summary.js';

// `notes` (from the allocations answer) say when data are missing or
// incomplete: then an empty card is not "no delegations".
export function allocationCard(alloc, group, notes = []) {
  const body = notes.map((note) => h('p', { class: 'note', 'data-note': note }, note));
  const missing = notes.some((note) => note.startsWith('no '));
  if (missing && (!alloc || alloc.delegations === 0)) {
    // Nothing to show but the note.
  } else if (!alloc || alloc.delegations === 0) {
    body.push(h('p', {}, 'No IPv6 delegations for this country in the RIR files the collector loaded.'));
  } else {
    body.push(h('dl', { class: 'facts' },
      fact('Delegations (allocated + assigned)', int(alloc.delegations)),
      fact('Address space', `${number(alloc.slash32, 2)} × /32`),
      fact('First delegation', alloc.firstDate || '—'),
      fact('Latest delegation', alloc.latestDate || '—')));
    if (group && !group.insufficient) {
      body.push(h('p', { class: 'contrast' },
        `Allocated IPv6 space next to ${pct(group.shares.v6_capable.value)} of measured probes being IPv6 capable.`));
    }
  }
  return h('section', { class: 'card', 'aria-labelledby': 'alloc-h', 'data-delegations': alloc ? alloc.delegations : 0 },
    h('h2', { id: 'alloc-h' }, 'Allocation context'), body);
}
