// A group's numbers for one window: every share with its interval, the
// probe counts, the median v6−v4 handshake gap, the methodology versions
// when mixed and the root causes.
import { h } from '../dom.js';
import { pctCI, ofProbes, int, gapMs } from '../format.js';
import { SHARES } from '../model.js';
import { ciBar } from '../charts/ci-bar.js';
import { insufficientNote } from './messages.js';
import { causeList } from './causes.js';
import { methodologyNote } from './methodology-note.js';

function shareRow(key, label, s) {
  return h('div', { class: 'share-row', 'data-share-key': key, 'data-value': s.value },
    h('dt', {}, label),
    h('dd', {}, h('strong', {}, pctCI(s)), ciBar(s), h('span', { class: 'muted' }, ofProbes(s))));
}

export function groupSummary(group, minProbes) {
  if (!group) {
    return h('section', { class: 'card', 'aria-labelledby': 'measured-h' },
      h('h2', { id: 'measured-h' }, 'Measured capability'),
      h('p', {}, 'No probe of this group ran in this window.'));
  }
  if (group.insufficient) {
    return h('section', { class: 'card', 'aria-labelledby': 'measured-h', 'data-status': 'insufficient' },
      h('h2', { id: 'measured-h' }, 'Measured capability'),
      insufficientNote(minProbes));
  }
  return h('section', { class: 'card', 'aria-labelledby': 'measured-h', 'data-status': 'published' },
    h('h2', { id: 'measured-h' }, 'Measured capability'),
    h('dl', { class: 'shares' },
      SHARES.filter(([key]) => group.shares[key])
        .map(([key, label]) => shareRow(key, label, group.shares[key]))),
    h('dl', { class: 'facts' },
      fact('Probes (distinct)', int(group.probes)),
      fact('Measured (not offline)', int(group.measured)),
      fact('Runs', int(group.runs)),
      fact('Median IPv6 − IPv4 handshake',
        group.medianGapMs === null ? 'n/a' : `${gapMs(group.medianGapMs)} (${group.gapProbes} probes)`)),
    methodologyNote(group.methodologyVersions),
    causeList(group));
}

export function fact(term, value) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, value));
}
