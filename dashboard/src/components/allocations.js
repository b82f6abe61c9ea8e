// Allocation context for a country: its IPv6 delegations in the RIR
// statistics files the collector loaded, shown beside what was measured.
import { h } from '../dom.js';
import { int, number, pct } from '../format.js';
import { t } from '../i18n.js';
import { fact } from './group-summary.js';

// `notes` (from the allocations answer) say when data are missing or
// incomplete: then an empty card is not "no delegations". The notes are
// the collector's own words (English), shown as they are.
export function allocationCard(alloc, group, notes = []) {
  const body = notes.map((note) => h('p', { class: 'note', 'data-note': note }, note));
  const missing = notes.some((note) => note.startsWith('no '));
  if (missing && (!alloc || alloc.delegations === 0)) {
    // Nothing to show but the note.
  } else if (!alloc || alloc.delegations === 0) {
    body.push(h('p', {}, t('dash.alloc.none')));
  } else {
    body.push(h('dl', { class: 'facts' },
      fact(t('dash.alloc.delegations'), int(alloc.delegations)),
      fact(t('dash.alloc.space'), t('dash.alloc.slash32', { n: number(alloc.slash32, 2) })),
      fact(t('dash.alloc.first'), alloc.firstDate || '—'),
      fact(t('dash.alloc.latest'), alloc.latestDate || '—')));
    if (group && !group.insufficient) {
      body.push(h('p', { class: 'contrast' },
        t('dash.alloc.contrast', { share: pct(group.shares.v6_capable.value) })));
    }
  }
  return h('section', { class: 'card', 'aria-labelledby': 'alloc-h', 'data-delegations': alloc ? alloc.delegations : 0 },
    h('h2', { id: 'alloc-h' }, t('dash.alloc.heading')), body);
}
