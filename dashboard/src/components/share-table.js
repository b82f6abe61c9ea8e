// A table of groups (countries, networks, regions) with their shares, each
// as "72% (65–78%)" plus an interval bar for the capable share.
import { h } from '../dom.js';
import { pctCI, int } from '../format.js';
import { groupLabel } from '../model.js';
import { ciBar } from '../charts/ci-bar.js';

const COLUMNS = [
  ['v6_preferred', 'Preferred'],
  ['v6_broken', 'Broken'],
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
        h('td', { colspan: 2 + COLUMNS.length, class: 'insufficient' }, 'Insufficient data'));
    }
    const capable = g.shares.v6_capable;
    return h('tr', { 'data-key': g.key, 'data-status': 'published', 'data-share': capable.value },
      nameCell,
      h('td', { class: 'num' }, int(g.measured)),
      h('td', { class: 'share' }, h('span', { class: 'share-text' }, pctCI(capable)), ciBar(capable)),
      COLUMNS.map(([key]) => h('td', { class: 'share-text' }, pctCI(g.shares[key]))));
  });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'share-table' },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, nameHeader),
      h('th', { scope: 'col', class: 'num' }, 'Measured probes'),
      h('th', { scope: 'col' }, 'IPv6 capable (95% interval)'),
      COLUMNS.map(([, label]) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, rows)));
}
