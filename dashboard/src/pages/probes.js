// "#/probes": enrolled probes, public fields only.
import { probes } from '../api.js';
import { add, h } from '../dom.js';
import { dateTimeUtc, int } from '../format.js';
import { empty } from '../components/messages.js';

export async function render(view) {
  const list = (await probes()).sort((a, b) => a.id.localeCompare(b.id));
  add(view,
    h('h1', {}, 'Probes'),
    h('p', { class: 'lead' }, `${int(list.length)} enrolled probes. Only public fields are shown: no addresses, no locations beyond the aggregates. `,
      'A probe’s page shows the verdict of its newest run with its explanations.'),
    list.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'probe-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Probe'),
          h('th', { scope: 'col' }, 'Organisation'),
          h('th', { scope: 'col' }, 'Enrolled'),
          h('th', { scope: 'col' }, 'Last run'),
          h('th', { scope: 'col', class: 'num' }, 'Runs'))),
        h('tbody', {}, list.map((p) => h('tr', { 'data-probe': p.id },
          h('th', { scope: 'row' }, h('a', { href: `#/probe/${encodeURIComponent(p.id)}` }, h('code', {}, p.id))),
          h('td', {}, p.org || '—'),
          h('td', {}, dateTimeUtc(p.enrolledAt)),
          h('td', {}, p.lastRunAt ? dateTimeUtc(p.lastRunAt) : 'never'),
          h('td', { class: 'num' }, int(p.runs)))))))
      : empty('No probe is enrolled yet.'));
  return 'Probes';
}
