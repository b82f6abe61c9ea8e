// "#/probe/p-0123": one enrolled probe's public fields and the verdict of
// its newest stored run, each label with its explanation.
import { latestVerdict, probes } from '../api.js';
import { add, h } from '../dom.js';
import { dateTimeUtc, int } from '../format.js';
import { fact } from '../components/group-summary.js';
import { verdictCard } from '../components/verdict.js';
import { empty } from '../components/messages.js';
import { notFound } from './not-found.js';

export async function render(view, route) {
  const id = route.args[0] || '';
  const [list, verdict] = await Promise.all([probes(), id ? latestVerdict(id) : null]);
  const probe = list.find((p) => p.id === id);
  if (!probe) return notFound(view, `No enrolled probe is named "${id}".`);
  add(view,
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: '#/probes' }, 'Probes'), ' › ', id),
    h('h1', { 'data-probe': id }, 'Probe ', h('code', {}, id)),
    h('p', { class: 'lead' }, 'The verdict of the probe\u2019s newest run, as its methodology gave it. ',
      'The explanations say what the probe saw, which may name addresses and prefixes of its network.'),
    h('div', { class: 'cards' },
      verdict ? verdictCard(verdict) : h('section', { class: 'card' }, empty('No run of this probe is stored yet.')),
      h('section', { class: 'card', 'aria-labelledby': 'probe-h' },
        h('h2', { id: 'probe-h' }, 'Probe'),
        h('dl', { class: 'facts' },
          fact('Organisation', probe.org || '—'),
          fact('Enrolled', dateTimeUtc(probe.enrolledAt)),
          fact('Last run', probe.lastRunAt ? dateTimeUtc(probe.lastRunAt) : 'never'),
          fact('Runs', int(probe.runs))))));
  return `Probe ${id}`;
}
