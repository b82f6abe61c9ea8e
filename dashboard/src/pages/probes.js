// "#/probes": enrolled probes, public fields only.
import { probes } from '../api.js';
import { add, h } from '../dom.js';
import { dateTimeUtc, int } from '../format.js';
import { downloads, dataUrl, toCsv } from '../components/downloads.js';
import { empty, syntheticBadge } from '../components/messages.js';
import { sortable } from '../components/sortable.js';

const FIELDS = [['probe_id', 'id'], ['org', 'org'], ['enrolled_at', 'enrolledAt'],
  ['last_run_at', 'lastRunAt'], ['runs', 'runs'], ['synthetic', 'synthetic']];

// The API's JSON as it is; a CSV of the same public fields.
function probeDownloads(list) {
  const csv = toCsv(FIELDS.map(([name]) => name), list.map((p) => FIELDS.map(([, key]) => p[key])));
  return downloads('probes', { csv: dataUrl('text/csv', csv), json: 'api/v1/probes' });
}

function probeRow(p) {
  return h('tr', { 'data-probe': p.id, 'data-synthetic': p.synthetic ? 'true' : null },
    h('th', { scope: 'row' }, h('a', { href: `#/probe/${encodeURIComponent(p.id)}` }, h('code', {}, p.id)),
      p.synthetic ? [' ', h('span', { class: 'tag synthetic-tag' }, 'synthetic')] : null),
    h('td', {}, p.org || '—'),
    h('td', { 'data-sort': p.enrolledAt }, dateTimeUtc(p.enrolledAt)),
    h('td', { 'data-sort': p.lastRunAt }, p.lastRunAt ? dateTimeUtc(p.lastRunAt) : 'never'),
    h('td', { class: 'num', 'data-sort': p.runs }, int(p.runs)));
}

export async function render(view) {
  const list = (await probes()).sort((a, b) => a.id.localeCompare(b.id));
  const synthetic = list.filter((p) => p.synthetic).length;
  add(view,
    h('h1', {}, 'Probes'),
    syntheticBadge(synthetic, list.length),
    h('p', { class: 'lead' }, `${int(list.length)} enrolled probes. Only public fields are shown: no addresses, no locations beyond the aggregates. `,
      'A probe’s page shows the verdict of its newest run with its explanations.'),
    list.length
      ? [h('div', { class: 'table-wrap' }, sortable(h('table', { class: 'probe-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Probe'),
          h('th', { scope: 'col' }, 'Organisation'),
          h('th', { scope: 'col' }, 'Enrolled'),
          h('th', { scope: 'col' }, 'Last run'),
          h('th', { scope: 'col', class: 'num', 'data-sort-type': 'number' }, 'Runs'))),
        h('tbody', {}, list.map(probeRow))))), probeDownloads(list)]
      : empty('No probe is enrolled yet.'));
  return 'Probes';
}
