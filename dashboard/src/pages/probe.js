// "#/probe/p-0123": one enrolled probe's public fields and the verdict of
// its newest stored run, each label with its explanation.
import { apiUrl, latestVerdict, probes } from '../api.js';
import { add, h } from '../dom.js';
import { dateTimeUtc, int } from '../format.js';
import { fact } from '../components/group-summary.js';
import { verdictCard } from '../components/verdict.js';
import { downloads, dataUrl, toCsv } from '../components/downloads.js';
import { empty, syntheticBadge } from '../components/messages.js';
import { notFound } from './not-found.js';
import { t } from '../i18n.js';

export async function render(view, route) {
  const id = route.args[0] || '';
  const [list, verdict] = await Promise.all([probes(), id ? latestVerdict(id) : null]);
  const probe = list.find((p) => p.id === id);
  if (!probe) return notFound(view, t('dash.probe.unknown', { id }));
  add(view,
    h('nav', { class: 'breadcrumb', 'aria-label': t('dash.breadcrumb') },
      h('a', { href: '#/probes' }, t('dash.nav.probes')), ' › ', id),
    h('h1', { 'data-probe': id }, t('dash.probe.title'), ' ', h('code', {}, id)),
    probe.synthetic ? syntheticBadge(1, 0) : null,
    h('p', { class: 'lead' }, t('dash.probe.lead')),
    h('div', { class: 'cards' },
      verdict ? verdictCard(verdict) : h('section', { class: 'card' }, empty(t('dash.probe.no_run'))),
      h('section', { class: 'card', 'aria-labelledby': 'probe-h' },
        h('h2', { id: 'probe-h' }, t('dash.probe.title')),
        h('dl', { class: 'facts' },
          fact(t('dash.probe.org'), probe.org || '—'),
          fact(t('dash.probe.enrolled'), dateTimeUtc(probe.enrolledAt)),
          fact(t('dash.probe.last_run'), probe.lastRunAt ? dateTimeUtc(probe.lastRunAt) : t('dash.probe.never')),
          fact(t('dash.summary.runs'), int(probe.runs))))),
    verdict ? verdictDownloads(id, verdict) : null);
  return `${t('dash.probe.title')} ${id}`;
}

// The newest run as the API gives it (JSON), and its labels with their
// explanations as a CSV (one row per label).
function verdictDownloads(id, v) {
  const byLabel = new Map(v.explanations.map((e) => [e.label, e.text]));
  const labels = [[v.capability, 'capability'], ...v.causes.map((c) => [c, 'cause'])];
  const csv = toCsv(['probe_id', 'seq', 'started_at', 'methodology_version', 'score', 'kind', 'label', 'explanation'],
    labels.map(([code, kind]) => [id, v.seq, v.startedAt, v.methodologyVersion, v.score, kind, code,
      byLabel.get(code) || '']));
  return downloads('verdict', {
    csv: dataUrl('text/csv', csv), json: apiUrl('api/v1/runs', { probe_id: id, page_size: 1 }),
  });
}
