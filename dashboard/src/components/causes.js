// A group's "why" list: each root cause of its probes' latest verdicts by
// its human name, with its share and 95% interval when the API sends one
// (methodology 2 collectors), else the probe count, and what it means.
import { h } from '../dom.js';
import { pctCI } from '../format.js';
import { t, tn } from '../i18n.js';
import { describe, versionNote } from '../vocabulary.js';

// Most frequent first; the API's order (ascending enum) breaks ties.
function byProbes(causes) {
  return causes.map((c, i) => ({ c, i }))
    .sort((a, b) => (b.c.probes - a.c.probes) || (a.i - b.i))
    .map(({ c }) => c);
}

function causeItem(c, measured) {
  const d = describe(c.cause);
  const note = versionNote(d);
  const attrs = { class: 'cause', 'data-cause': c.cause, 'data-probes': c.probes };
  if (c.share) {
    Object.assign(attrs, {
      'data-value': c.share.value, 'data-ci-low': c.share.ciLow, 'data-ci-high': c.share.ciHigh,
    });
  }
  return h('li', attrs,
    h('span', { class: 'cause-name' }, d.name),
    c.share ? h('strong', { class: 'share-text' }, pctCI(c.share)) : null,
    h('span', { class: 'muted' },
      c.share ? t('dash.of_probes', { count: c.probes, total: measured })
        : t('dash.probes_count', { n: c.probes })),
    note ? h('span', { class: 'tag' }, note) : null,
    d.text ? h('span', { class: 'cause-text' }, d.text) : null);
}

export function causeList(group) {
  if (!group.causes.length) return null;
  return h('section', { class: 'causes', 'aria-labelledby': 'causes-h' },
    h('h3', { id: 'causes-h' }, t('dash.causes.heading')),
    h('p', { class: 'muted' }, tn('dash.causes.intro', {
      link: h('a', { href: '#/methodology' }, t('dash.labels_meaning')),
    })),
    h('ul', { class: 'cause-list' }, byProbes(group.causes).map((c) => causeItem(c, group.measured))));
}
