// Which methodology versions the counted probes' verdicts came from, as a
// short note under the aggregates when there is more than one: the
// collector never recomputes a stored verdict, so a window spanning an
// upgrade mixes them (e.g. "42 probes on methodology 2, 3 on methodology 1").
import { h } from '../dom.js';
import { int } from '../format.js';

export function methodologyNote(versions) {
  if (!versions || versions.length < 2) return null;
  const newest = [...versions].sort((a, b) =>
    b.version.localeCompare(a.version, 'en', { numeric: true }));
  const parts = newest.map((m, i) =>
    `${int(m.probes)}${i ? '' : m.probes === 1 ? ' probe' : ' probes'} on methodology ${m.version}`);
  return h('p', {
    class: 'method-note',
    'data-methodology-versions': newest.map((m) => `${m.version}:${m.probes}`).join(','),
  }, `Mixed methodologies: ${parts.join(', ')}. `,
  'Each probe counts with the verdict its run was given; ',
  h('a', { href: '#/methodology' }, 'see the methodology'), '.');
}
