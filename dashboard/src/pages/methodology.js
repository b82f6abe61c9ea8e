// "#/methodology": how the numbers are made, in short, with the live
// threshold and versions, and links to the full documents (those are in
// English: the repository's docs/).
import { aggregates, currentMeta } from '../api.js';
import { add, h } from '../dom.js';
import { t, tn } from '../i18n.js';
import { glossary } from '../components/glossary.js';

async function docLinks() {
  try {
    const r = await fetch('docs/index.json');
    return r.ok ? await r.json() : [];
  } catch {
    return [];
  }
}

// A list item: the term in bold, then its explanation.
const term = (key, k) => h('li', {}, h('strong', {}, t(`${key}.term`, { k })), ' ', t(`${key}.text`, { k }));

export async function render(view) {
  const [meta, docs] = await Promise.all([
    currentMeta() || aggregates({ group_by: 'global' }).then((r) => r.meta),
    docLinks(),
  ]);
  const k = meta.minProbes;
  const title = t('dash.nav.methodology');
  add(view,
    h('h1', {}, title),
    h('p', { class: 'lead' }, tn('dash.method.lead', {
      // The collector's own words (English), marked so.
      version: meta.methodologyVersion ? h('strong', { lang: 'en' }, meta.methodologyVersion)
        : h('strong', {}, t('dash.unknown')),
      k,
    })),
    h('section', { class: 'prose', 'aria-labelledby': 'm-probe' },
      h('h2', { id: 'm-probe' }, t('dash.method.probe.heading')),
      h('p', {}, t('dash.method.probe.text')),
      h('ul', {}, ['capable', 'preferred', 'broken', 'v4_broken', 'pmtu', 'nat64', 'resolver']
        .map((name) => term(`dash.method.probe.${name}`, k)))),
    h('section', { class: 'prose', 'aria-labelledby': 'm-agg' },
      h('h2', { id: 'm-agg' }, t('dash.method.agg.heading')),
      h('ul', {}, ['vote', 'k', 'denominator', 'wilson', 'gap', 'allocations']
        .map((name) => term(`dash.method.agg.${name}`, k)))),
    h('section', { class: 'prose', 'aria-labelledby': 'm-limits' },
      h('h2', { id: 'm-limits' }, t('dash.method.limits.heading')),
      h('ul', {}, ['probes', 'apnic', 'versions'].map((name) => h('li', {}, t(`dash.method.limits.${name}`))))),
    h('section', { class: 'prose', 'aria-labelledby': 'm-labels' },
      h('h2', { id: 'm-labels' }, t('dash.labels_meaning')),
      glossary()),
    h('section', { class: 'prose', 'aria-labelledby': 'm-docs' },
      h('h2', { id: 'm-docs' }, t('dash.method.docs.heading')),
      docs.length
        ? h('ul', {}, docs.map((d) => h('li', {}, h('a', { href: `docs/${d.file}`, hreflang: 'en' }, d.title),
          ' ', t('dash.method.docs.source', { source: d.source }))))
        : h('p', {}, t('dash.method.docs.none'))));
  return title;
}
