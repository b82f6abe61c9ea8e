// Which methodology versions the counted probes' verdicts came from, as a
// short note under the aggregates when there is more than one: the
// collector never recomputes a stored verdict, so a window spanning an
// upgrade mixes them (e.g. "42 probes on methodology 2, 3 on methodology 1").
import { h } from '../dom.js';
import { t, tn } from '../i18n.js';

export function methodologyNote(versions) {
  if (!versions || versions.length < 2) return null;
  const newest = [...versions].sort((a, b) =>
    b.version.localeCompare(a.version, 'en', { numeric: true }));
  const parts = newest.map((m, i) =>
    t(i ? 'dash.method_note.part_more' : 'dash.method_note.part_first', { probes: m.probes, version: m.version }));
  return h('p', {
    class: 'method-note',
    'data-methodology-versions': newest.map((m) => `${m.version}:${m.probes}`).join(','),
  }, tn('dash.method_note', {
    parts: parts.join(t('dash.list_separator')),
    link: h('a', { href: '#/methodology' }, t('dash.method_note.link')),
  }));
}
