// A table of groups (countries, networks, regions) with their shares, each
// as "72% (65–78%)" plus an interval bar for the capable share.
import { h } from '../dom.js';
import { pctCI, int } from '../format.js';
import { t } from '../i18n.js';
import { groupLabel } from '../model.js';
import { ciBar } from '../charts/ci-bar.js';
import { sortable } from './sortable.js';

const COLUMNS = [
  ['v6_preferred', 'dash.table.preferred'],
  ['v6_broken', 'dash.table.broken'],
];

// groups: normalized; groupBy: "country" | "asn" | ...; linkFor(group) ->
// href or null.
export function shareTable({ groups, groupBy, linkFor, caption, nameHeader }) {
  const rows = groups.map((g) => {
    const name = groupLabel(g, groupBy);
    const link = linkFor ? linkFor(g) : null;
    const nameCell = h('th', { scope: 'row' }, link ? h('a', { href: link }, name) : name);
    if (g.insufficient) {
      return h('tr', { 'data-key': g.key, 'data-status': 'insufficient' }, nameCell,
        h('td', { colspan: 2 + COLUMNS.length, class: 'insufficient' }, t('dash.insufficient_data')));
    }
    const capable = g.shares.v6_capable;
    return h('tr', { 'data-key': g.key, 'data-status': 'published', 'data-share': capable.value },
      nameCell,
      h('td', { class: 'num', 'data-sort': g.measured }, int(g.measured)),
      h('td', { class: 'share', 'data-sort': capable.value },
        h('span', { class: 'share-text' }, pctCI(capable)), ciBar(capable)),
      COLUMNS.map(([key]) => h('td', { class: 'share-text', 'data-sort': g.shares[key].value },
        pctCI(g.shares[key]))));
  });
  const number = { scope: 'col', 'data-sort-type': 'number' };
  return h('div', { class: 'table-wrap' }, sortable(h('table', { class: 'share-table' },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, nameHeader),
      h('th', { ...number, class: 'num' }, t('dash.table.measured')),
      h('th', number, t('dash.table.capable')),
      COLUMNS.map(([, label]) => h('th', number, t(label))))),
    h('tbody', {}, rows))));
}
