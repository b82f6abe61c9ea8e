// A run's verdict: the capability and each root cause by its human name,
// each with the explanation the verdict gives for it (methodology 2: one
// sentence per label saying what was seen) above the label's general
// meaning. Methodology 1 verdicts carry no explanations; that is said.
import { h } from '../dom.js';
import { dateTimeUtc } from '../format.js';
import { describe, versionNote } from '../vocabulary.js';

function labelItem(code, kind, explanation) {
  const d = describe(code);
  const note = versionNote(d);
  return h('div', { class: 'verdict-label', 'data-label': code, 'data-kind': kind },
    h('dt', {}, h('span', { class: 'label-name' }, d.name), ' ', h('code', {}, code),
      note ? [' ', h('span', { class: 'tag' }, note)] : null),
    h('dd', {},
      explanation
        ? h('p', { class: 'explanation', 'data-explanation': code }, explanation.text)
        : null,
      d.text ? h('p', { class: 'label-text muted' }, d.text) : null));
}

function noExplanations(verdict) {
  if (verdict.explanations.length) return null;
  return h('p', { class: 'muted', 'data-explanations': 'none' },
    verdict.methodologyVersion === '1'
      ? 'Methodology 1 verdicts carry no explanations; the labels\u2019 general meaning is shown.'
      : 'This verdict carries no explanations.');
}

export function verdictCard(verdict) {
  const byLabel = new Map(verdict.explanations.map((e) => [e.label, e]));
  const labels = [[verdict.capability, 'capability'], ...verdict.causes.map((c) => [c, 'cause'])];
  const shown = new Set(labels.map(([code]) => code));
  // An explanation for a label the verdict does not carry (not expected):
  // shown anyway rather than lost.
  const extra = verdict.explanations.filter((e) => !shown.has(e.label));
  return h('section', {
    class: 'card verdict', 'aria-labelledby': 'verdict-h',
    'data-verdict-seq': verdict.seq, 'data-methodology': verdict.methodologyVersion,
  },
  h('h2', { id: 'verdict-h' }, 'Latest verdict'),
  h('p', { class: 'muted' },
    `Run started ${dateTimeUtc(verdict.startedAt)} · methodology ${verdict.methodologyVersion || 'unknown'} · `,
    h('span', { 'data-score': verdict.score }, `score ${verdict.score}/10`)),
  h('dl', { class: 'verdict-labels' },
    labels.map(([code, kind]) => labelItem(code, kind, byLabel.get(code))),
    extra.map((e) => labelItem(e.label, 'other', e))),
  noExplanations(verdict));
}
