// The footer: the methodology version, the k threshold and the attribution
// datasets of the latest API answer.
import { h, append } from '../dom.js';
import { t, tn } from '../i18n.js';

export function renderFooter(el, meta) {
  el.replaceChildren();
  const datasets = (meta.datasets || 'none').split(';').filter(Boolean);
  append(el, [h('div', { class: 'footer-inner' },
    h('p', {}, tn('dash.footer.methodology', {
      version: h('span', { 'data-meta': 'methodology-version', lang: meta.methodologyVersion ? 'en' : null },
        meta.methodologyVersion || t('dash.unknown')),
      k: h('span', { 'data-meta': 'min-probes' }, meta.minProbes),
      link: h('a', { href: '#/methodology' }, t('dash.footer.how_made')),
    })),
    h('p', {}, tn('dash.footer.datasets', {
      datasets: h('span', { class: 'datasets', 'data-meta': 'datasets' },
        datasets.map((d, i) => [i ? '; ' : '', h('code', {}, d)])),
    })),
    meta.partial
      ? h('p', { class: 'note', 'data-meta': 'partial' }, t('dash.footer.partial'))
      : null)]);
}
