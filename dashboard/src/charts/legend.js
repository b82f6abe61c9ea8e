// The map legend: the colour ramp of the capable share, and the swatches
// for "insufficient data" and "no probes".
import { h } from '../dom.js';
import { shareColor } from './colors.js';

export function mapLegend(minProbes) {
  const stops = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `${shareColor(t)} ${t * 100}%`).join(', ');
  return h('div', { class: 'legend', role: 'group', 'aria-label': 'Legend' },
    h('div', { class: 'legend-ramp' },
      h('span', { class: 'legend-title' }, 'IPv6-capable share of measured probes'),
      h('span', { class: 'ramp', style: `background: linear-gradient(to right, ${stops})`, 'aria-hidden': 'true' }),
      h('span', { class: 'ramp-ticks', 'aria-hidden': 'true' },
        ['0%', '25%', '50%', '75%', '100%'].map((t) => h('span', {}, t)))),
    h('div', { class: 'legend-swatches' },
      h('span', { class: 'swatch-item' }, h('span', { class: 'swatch hatched', 'aria-hidden': 'true' }),
        `Insufficient data (fewer than ${minProbes || 'k'} probes)`),
      h('span', { class: 'swatch-item' }, h('span', { class: 'swatch none', 'aria-hidden': 'true' }),
        'No probes')));
}
