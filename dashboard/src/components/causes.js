// A group's "why" list: each root cause of its probes' latest verdicts by
// its human name, with its share and 95% interval when the API sends one
// (methodology 2 collectors), else the probe count, and what it means.
import { h } from '../dom.js';
import { int, pctCI } from '../format.js';
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
      c.share ? `${int(c.probes)} of ${int(measured)} probes` : `${int(c.probes)} probes`),
    note ? h('span', { class: 'tag' }, note) : null,
    d.text ? h('span', { class: 'cause-text' }, d.text) : null);
}

export function causeList(group) {
  if (!group.causes.length) return null;
  return h('section', { class: 'causes', 'aria-labelledby': 'causes-h' },
    h('h3', { id: 'causes-h' }, 'Why: root causes'),
    h('p', { class: 'muted' }, 'Measured probes whose latest verdict names each cause; a probe may have several. ',
      h('a', { href: '#/methodology' }, 'What the labels mean'), '.'),
    h('ul', { class: 'cause-list' }, byProbes(group.causes).map((c) => causeItem(c, group.measured))));
}
