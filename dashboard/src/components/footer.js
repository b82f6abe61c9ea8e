// The footer: the methodology version, the k threshold and the attribution
// datasets of the latest API answer.
import { h, append } from '../dom.js';

export function renderFooter(el, meta) {
  el.replaceChildren();
  const datasets = (meta.datasets || 'none').split(';').filter(Boolean);
  append(el, [h('div', { class: 'footer-inner' },
    h('p', {},
      'Methodology: ', h('span', { 'data-meta': 'methodology-version' }, meta.methodologyVersion || 'unknown'),
      ` · published with at least k = `, h('span', { 'data-meta': 'min-probes' }, meta.minProbes),
      ' distinct probes · ', h('a', { href: '#/methodology' }, 'how these numbers are made')),
    h('p', {}, 'Datasets: ',
      h('span', { class: 'datasets', 'data-meta': 'datasets' },
        datasets.map((d, i) => [i ? '; ' : '', h('code', {}, d)]))),
    meta.partial
      ? h('p', { class: 'note', 'data-meta': 'partial' },
        'Attribution data incomplete: some data files loaded only in part (see partial= above).')
      : null)]);
}
