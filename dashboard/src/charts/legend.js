// The map legend: the colour ramp of the capable share, and the swatches
// for "insufficient data" and "no probes".
import { h } from '../dom.js';
import { pct } from '../format.js';
import { isRtl, t } from '../i18n.js';
import { shareColor } from './colors.js';

// title: what the colour says (the map's measure); the swatches' labels
// follow it (network capability: probes; service readiness: networks).
export function mapLegend(minProbes, {
  title = t('dash.legend.capable_title'),
  insufficient = t('dash.legend.insufficient', { k: minProbes || 'k' }),
  none = t('dash.legend.no_probes'),
} = {}) {
  const stops = [0, 0.25, 0.5, 0.75, 1]
    .map((v) => `${shareColor(v)} ${v * 100}%`).join(', ');
  // The ticks run with the text (right to left in Arabic): so does the ramp.
  const toward = isRtl() ? 'left' : 'right';
  return h('div', { class: 'legend', role: 'group', 'aria-label': t('dash.legend.label') },
    h('div', { class: 'legend-ramp' },
      h('span', { class: 'legend-title' }, title),
      h('span', { class: 'ramp', style: `background: linear-gradient(to ${toward}, ${stops})`, 'aria-hidden': 'true' }),
      h('span', { class: 'ramp-ticks', 'aria-hidden': 'true' },
        [0, 0.25, 0.5, 0.75, 1].map((v) => h('span', {}, pct(v))))),
    h('div', { class: 'legend-swatches' },
      h('span', { class: 'swatch-item' }, h('span', { class: 'swatch hatched', 'aria-hidden': 'true' }),
        insufficient),
      h('span', { class: 'swatch-item' }, h('span', { class: 'swatch none', 'aria-hidden': 'true' }),
        none)));
}
