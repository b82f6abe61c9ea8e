// A group's numbers for one window: every share with its interval, the
// probe counts, the median v6−v4 handshake gap, the methodology versions
// when mixed and the root causes.
import { h } from '../dom.js';
import { pctCI, ofProbes, int, gapMs } from '../format.js';
import { t } from '../i18n.js';
import { SHARES, shareLabel } from '../model.js';
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
      h('h2', { id: 'measured-h' }, t('dash.summary.heading')),
      h('p', {}, t('dash.summary.no_probe')));
  }
  if (group.insufficient) {
    return h('section', { class: 'card', 'aria-labelledby': 'measured-h', 'data-status': 'insufficient' },
      h('h2', { id: 'measured-h' }, t('dash.summary.heading')),
      insufficientNote(minProbes));
  }
  return h('section', { class: 'card', 'aria-labelledby': 'measured-h', 'data-status': 'published' },
    h('h2', { id: 'measured-h' }, t('dash.summary.heading')),
    h('dl', { class: 'shares' },
      SHARES.filter(([key]) => group.shares[key])
        .map(([key]) => shareRow(key, shareLabel(key), group.shares[key]))),
    h('dl', { class: 'facts' },
      fact(t('dash.summary.probes'), int(group.probes)),
      fact(t('dash.summary.measured'), int(group.measured)),
      fact(t('dash.summary.runs'), int(group.runs)),
      fact(t('dash.summary.gap'),
        group.medianGapMs === null ? t('dash.n_a')
          : t('dash.summary.gap_value', { gap: gapMs(group.medianGapMs), n: group.gapProbes }))),
    methodologyNote(group.methodologyVersions),
    causeList(group));
}

export function fact(term, value) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, value));
}
