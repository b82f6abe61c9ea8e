// Colours shared by the map, its legend and the charts.
import { scaleSequential } from 'd3-scale';
import { interpolateYlGnBu } from 'd3-scale-chromatic';

// IPv6-capable share 0..1 to a fill; starts off-white so that 0% is still
// distinguishable from "no probes" grey.
export const shareColor = scaleSequential((t) => interpolateYlGnBu(0.12 + 0.88 * t))
  .domain([0, 1]).clamp(true);

export const NO_DATA_FILL = '#e4e4e4';
export const HATCH_ID = 'hatch-insufficient';

// Time series (Okabe–Ito palette: distinguishable with colour blindness),
// each also with its own dash pattern.
export const SERIES_STYLE = {
  v6_capable: { color: '#0072b2', dash: null },
  v6_preferred: { color: '#009e73', dash: '6 3' },
  v6_broken: { color: '#d55e00', dash: '2 3' },
};
