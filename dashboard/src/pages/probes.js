// "#/probes": enrolled probes, public fields only.
import { probes } from '../api.js';
import { add, h } from '../dom.js';
import { dateTimeUtc, int } from '../format.js';
import { downloads, dataUrl, toCsv } from '../components/downloads.js';
import { empty, syntheticBadge } from '../components/messages.js';
import { sortable } from '../components/sortable.js';
import { t } from '../i18n.js';

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
      p.synthetic ? [' ', h('span', { class: 'tag synthetic-tag' }, t('dash.probes.synthetic'))] : null),
    h('td', {}, p.org || '—'),
    h('td', { 'data-sort': p.enrolledAt }, dateTimeUtc(p.enrolledAt)),
    h('td', { 'data-sort': p.lastRunAt }, p.lastRunAt ? dateTimeUtc(p.lastRunAt) : t('dash.probe.never')),
    h('td', { class: 'num', 'data-sort': p.runs }, int(p.runs)));
}

export async function render(view) {
  const list = (await probes()).sort((a, b) => a.id.localeCompare(b.id));
  const synthetic = list.filter((p) => p.synthetic).length;
  add(view,
    h('h1', {}, t('dash.nav.probes')),
    syntheticBadge(synthetic, list.length),
    h('p', { class: 'lead' }, t('dash.probes.lead', { n: list.length })),
    list.length
      ? [h('div', { class: 'table-wrap' }, sortable(h('table', { class: 'probe-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('dash.probe.title')),
          h('th', { scope: 'col' }, t('dash.probe.org')),
          h('th', { scope: 'col' }, t('dash.probe.enrolled')),
          h('th', { scope: 'col' }, t('dash.probe.last_run')),
          h('th', { scope: 'col', class: 'num', 'data-sort-type': 'number' }, t('dash.summary.runs')))),
        h('tbody', {}, list.map(probeRow))))), probeDownloads(list)]
      : empty(t('dash.probes.none')));
  return t('dash.nav.probes');
}
