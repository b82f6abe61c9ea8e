// A run's verdict: the capability and each root cause by its human name,
// each with the explanation the verdict gives for it (methodology 2: one
// sentence per label saying what was seen) above the label's general
// meaning. Methodology 1 verdicts carry no explanations; that is said.
import { h } from '../dom.js';
import { dateTimeUtc } from '../format.js';
import { t } from '../i18n.js';
import { describe, versionNote } from '../vocabulary.js';

function labelItem(code, kind, explanation) {
  const d = describe(code);
  const note = versionNote(d);
  return h('div', { class: 'verdict-label', 'data-label': code, 'data-kind': kind },
    h('dt', {}, h('span', { class: 'label-name' }, d.name), ' ', h('code', {}, code),
      note ? [' ', h('span', { class: 'tag' }, note)] : null),
    h('dd', {},
      explanation
        // The probe writes its explanations in English (they name what it
        // saw, addresses included): marked so, in any page language.
        ? h('p', { class: 'explanation', 'data-explanation': code, lang: 'en' }, explanation.text)
        : null,
      d.text ? h('p', { class: 'label-text muted' }, d.text) : null));
}

function noExplanations(verdict) {
  if (verdict.explanations.length) return null;
  return h('p', { class: 'muted', 'data-explanations': 'none' },
    verdict.methodologyVersion === '1'
      ? t('dash.verdict.m1_no_explanations')
      : t('dash.verdict.no_explanations'));
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
  h('h2', { id: 'verdict-h' }, t('dash.verdict.heading')),
  h('p', { class: 'muted' },
    t('dash.verdict.started', {
      at: dateTimeUtc(verdict.startedAt), version: verdict.methodologyVersion || t('dash.unknown'),
    }), ' · ',
    h('span', { 'data-score': verdict.score }, t('dash.verdict.score', { score: verdict.score }))),
  h('dl', { class: 'verdict-labels' },
    labels.map(([code, kind]) => labelItem(code, kind, byLabel.get(code))),
    extra.map((e) => labelItem(e.label, 'other', e))),
  noExplanations(verdict));
}
