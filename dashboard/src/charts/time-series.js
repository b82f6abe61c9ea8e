// A time series of shares, one line per share with its 95% Wilson
// interval as a band; one point per window. Windows with insufficient
// data are shaded and break the lines, as do windows without any group.
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scaleUtc } from 'd3-scale';
import { select } from 'd3-selection';
import { area, line } from 'd3-shape';

import { h, svg } from '../dom.js';
import { pct, pctCI, windowLabel, windowShort } from '../format.js';
import { SHARE_LABEL } from '../model.js';
import { SERIES_STYLE } from './colors.js';

const DAY_MS = 86_400_000;

// groups: normalized groups of one key, any order; series: share keys.
export function timeSeries({ groups, series, width, kind, label }) {
  const margin = { top: 12, right: 14, bottom: 30, left: 46 };
  const height = Math.round(Math.max(200, Math.min(320, width * 0.45)));
  const innerW = Math.max(100, width - margin.left - margin.right);
  const innerH = height - margin.top - margin.bottom;

  const sorted = [...groups].sort((a, b) => a.windowStart.localeCompare(b.windowStart));
  // Points in order, with null where a window is missing (a gap).
  const points = [];
  for (const g of sorted) {
    const prev = points[points.length - 1];
    if (prev && prev.group.windowEnd !== g.windowStart) points.push(null);
    points.push({ t: new Date(g.windowStart), group: g });
  }
  const real = points.filter(Boolean);
  let [t0, t1] = [real[0].t, real[real.length - 1].t];
  if (t0.getTime() === t1.getTime()) {
    t0 = new Date(t0.getTime() - DAY_MS);
    t1 = new Date(t1.getTime() + DAY_MS);
  }
  const x = scaleUtc().domain([t0, t1]).range([0, innerW]);
  const y = scaleLinear().domain([0, 1]).range([innerH, 0]);
  const published = (p) => p !== null && !p.group.insufficient;

  const xAxis = svg('g', { class: 'axis axis-x', transform: `translate(0,${innerH})` });
  // Ticks on window starts (thinned to fit), not on calendar defaults.
  const maxTicks = Math.max(2, Math.floor(innerW / 70));
  const every = Math.ceil(real.length / maxTicks);
  const ticks = real.filter((p, i) => (real.length - 1 - i) % every === 0).map((p) => p.t);
  select(xAxis).call(axisBottom(x).tickValues(ticks)
    .tickFormat((d) => windowShort(kind, d.toISOString())));
  const yAxis = svg('g', { class: 'axis axis-y' });
  select(yAxis).call(axisLeft(y).ticks(5).tickFormat((d) => pct(d)));
  const grid = svg('g', { class: 'grid', 'aria-hidden': 'true' },
    y.ticks(5).map((v) => svg('line', { x1: 0, x2: innerW, y1: y(v), y2: y(v) })));

  const shaded = real.filter((p) => p.group.insufficient).map((p) => {
    const end = Math.min(innerW, x(new Date(p.group.windowEnd)));
    const start = x(p.t);
    return svg('rect', {
      class: 'insufficient-window', x: start - 3, y: 0,
      width: Math.max(6, end - start), height: innerH,
      'data-window-start': p.group.windowStart,
    }, svg('title', {}, `${windowLabel(kind, p.group.windowStart, p.group.windowEnd)}: insufficient data`));
  });

  const layers = series.map((key) => {
    const style = SERIES_STYLE[key] || { color: '#444', dash: null };
    const share = (p) => p.group.shares[key];
    const band = area().defined(published).x((p) => x(p.t))
      .y0((p) => y(share(p).ciLow)).y1((p) => y(share(p).ciHigh));
    const trace = line().defined(published).x((p) => x(p.t)).y((p) => y(share(p).value));
    const dots = real.filter(published).map((p) => svg('circle', {
      class: 'point', cx: x(p.t), cy: y(share(p).value), r: 3,
      fill: style.color,
      'data-series': key,
      'data-window-start': p.group.windowStart,
      'data-value': share(p).value,
      'data-ci-low': share(p).ciLow,
      'data-ci-high': share(p).ciHigh,
    }, svg('title', {}, `${windowLabel(kind, p.group.windowStart, p.group.windowEnd)}: ${SHARE_LABEL[key]} ${pctCI(share(p))}`)));
    return svg('g', { class: 'series', 'data-series': key },
      svg('path', { class: 'band', d: band(points) || '', fill: style.color }),
      svg('path', {
        class: 'line', d: trace(points) || '', stroke: style.color,
        'stroke-dasharray': style.dash,
      }),
      dots);
  });

  const chart = svg('svg', {
    class: 'time-series', viewBox: `0 0 ${width} ${height}`, width: '100%',
    role: 'img', 'aria-label': `${label}: ${series.map((k) => SHARE_LABEL[k]).join(', ')} per ${kind}, with 95% intervals (table below)`,
    'data-windows': real.length,
  }, svg('defs', {}, svg('pattern', {
    id: 'hatch-series', width: 6, height: 6, patternUnits: 'userSpaceOnUse',
    patternTransform: 'rotate(45)',
  }, svg('rect', { width: 6, height: 6, fill: '#f4f4f4' }),
  svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#c4c4c4', 'stroke-width': 2 }))),
  svg('g', { transform: `translate(${margin.left},${margin.top})` },
    grid, shaded, xAxis, yAxis, layers));

  const key = h('ul', { class: 'series-key' },
    series.map((k) => h('li', {},
      h('span', {
        class: `key-line key-${k}`, 'aria-hidden': 'true',
        style: `border-top-color: ${SERIES_STYLE[k].color}`,
      }), SHARE_LABEL[k])),
    shaded.length ? h('li', {}, h('span', { class: 'swatch hatched small', 'aria-hidden': 'true' }),
      'Insufficient data') : null,
    h('li', { class: 'muted' }, 'Bands: 95% Wilson intervals'));

  return h('figure', { class: 'chart' }, key, chart, dataTable(sorted, series, kind));
}

// The chart's numbers as a table, for screen readers and copying.
function dataTable(groups, series, kind) {
  return h('details', { class: 'chart-data' },
    h('summary', {}, 'Data table'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Window'),
        h('th', { scope: 'col' }, 'Measured probes'),
        series.map((k) => h('th', { scope: 'col' }, SHARE_LABEL[k])))),
      h('tbody', {}, groups.map((g) => h('tr', {},
        h('th', { scope: 'row' }, windowLabel(kind, g.windowStart, g.windowEnd)),
        g.insufficient
          ? h('td', { colspan: series.length + 1, class: 'insufficient' }, 'Insufficient data')
          : [h('td', {}, g.measured), series.map((k) => h('td', {}, pctCI(g.shares[k])))]))))));
}
