// A time series of shares, one line per share with its 95% Wilson
// interval as a band; one point per window. Windows with insufficient
// data are shaded and break the lines, as do windows without any group.
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scaleUtc } from 'd3-scale';
import { select } from 'd3-selection';
import { area, line } from 'd3-shape';

import { h, svg } from '../dom.js';
import { int, pct, pctCI, windowLabel, windowShort } from '../format.js';
import { t } from '../i18n.js';
import { shareLabel } from '../model.js';
import { SERIES_STYLE } from './colors.js';
import { sortable } from '../components/sortable.js';

const DAY_MS = 86_400_000;

// How many windows of `kind` lie from the first group's start to the last
// group's end (gaps included): what the chart's x axis spans.
export function windowsSpanned(kind, groups) {
  if (!groups.length) return 0;
  const starts = groups.map((g) => g.windowStart).sort();
  const ends = groups.map((g) => g.windowEnd).sort();
  const first = new Date(starts[0]);
  const end = new Date(ends[ends.length - 1]);
  if (kind === 'month') {
    return (end.getUTCFullYear() - first.getUTCFullYear()) * 12 + end.getUTCMonth() - first.getUTCMonth();
  }
  return Math.round((end - first) / (kind === 'week' ? 7 * DAY_MS : DAY_MS));
}

// The chart's heading: the windows it draws ("Last 5 weeks"), not the
// number asked; "5 weeks to 23–29 Nov 2026" when the newest window drawn
// is not the current one (`current`: its start, '' if unknown).
export function seriesHeading({ id, kind, groups, asked, current, prefix }) {
  const n = windowsSpanned(kind, groups);
  const last = [...groups].sort((a, b) => b.windowStart.localeCompare(a.windowStart))[0];
  const text = !last || !current || last.windowStart === current
    ? t('dash.series.last', { n, kind })
    : t('dash.series.to', { n, kind, window: windowLabel(kind, last.windowStart, last.windowEnd) });
  return [
    h('h2', { id, 'data-windows-drawn': n }, prefix ? t('dash.series.prefixed', { prefix, text }) : text),
    n < asked && n > 0
      ? h('p', { class: 'muted' }, t('dash.series.fewer', { asked, kind, n }))
      : null,
  ];
}

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
    }, svg('title', {}, t('dash.series.window_insufficient', { window: windowLabel(kind, p.group.windowStart, p.group.windowEnd) })));
  });

  const layers = series.map((key) => seriesLayer({ key, points, real, x, y, kind }));

  const chart = svg('svg', {
    class: 'time-series', viewBox: `0 0 ${width} ${height}`, width: '100%',
    role: 'img',
    'aria-label': t('dash.series.aria', { label, series: series.map((k) => shareLabel(k)).join(t('dash.list_separator')), kind }),
    'data-windows': real.length,
  }, svg('defs', {}, svg('pattern', {
    id: 'hatch-series', width: 6, height: 6, patternUnits: 'userSpaceOnUse',
    patternTransform: 'rotate(45)',
  }, svg('rect', { width: 6, height: 6, fill: '#f4f4f4' }),
  svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#c4c4c4', 'stroke-width': 2 }))),
  svg('g', { transform: `translate(${margin.left},${margin.top})` },
    grid, shaded, xAxis, yAxis, layers));

  const key = seriesKey(series, layers, shaded.length > 0);
  return h('figure', { class: 'chart' }, key, chart, dataTable(sorted, series, kind));
}

// One share's layer: its band with edge lines, its line and its points
// (published windows only; a null point or an insufficient window breaks
// the line).
function seriesLayer({ key, points, real, x, y, kind }) {
  const published = (p) => p !== null && !p.group.insufficient;
  const style = SERIES_STYLE[key] || { color: '#444', dash: null };
  const share = (p) => p.group.shares[key];
  const band = area().defined(published).x((p) => x(p.t))
    .y0((p) => y(share(p).ciLow)).y1((p) => y(share(p).ciHigh));
  const trace = line().defined(published).x((p) => x(p.t)).y((p) => y(share(p).value));
  // The band's edges as thin lines: where bands overlap, each interval
  // stays readable by its own edges, not by blended fills.
  const edge = (bound) => line().defined(published).x((p) => x(p.t)).y((p) => y(share(p)[bound]));
  const dots = real.filter(published).map((p) => svg('circle', {
    class: 'point', cx: x(p.t), cy: y(share(p).value), r: 3,
    fill: style.color,
    'data-series': key,
    'data-window-start': p.group.windowStart,
    'data-value': share(p).value,
    'data-ci-low': share(p).ciLow,
    'data-ci-high': share(p).ciHigh,
  }, svg('title', {}, t('dash.series.point', {
    window: windowLabel(kind, p.group.windowStart, p.group.windowEnd), series: shareLabel(key), share: pctCI(share(p)),
  }))));
  return svg('g', { class: 'series', 'data-series': key },
    svg('path', { class: 'band', d: band(points) || '', fill: style.color }),
    ['ciLow', 'ciHigh'].map((bound) => svg('path', {
      class: 'band-edge', d: edge(bound)(points) || '', stroke: style.color, 'data-bound': bound,
    })),
    svg('path', {
      class: 'line', d: trace(points) || '', stroke: style.color,
      'stroke-dasharray': style.dash,
    }),
    dots);
}

// The legend: each series' entry is a button hiding or showing it, to
// read one band at a time.
function seriesKey(series, layers, hatched) {
  const toggle = (k) => (event) => {
    const button = event.currentTarget;
    const shown = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(shown));
    layers.find((g) => g.dataset.series === k).toggleAttribute('data-hidden', !shown);
  };
  return h('ul', { class: 'series-key' },
    series.map((k) => h('li', {},
      h('button', {
        type: 'button', class: 'series-toggle', 'aria-pressed': 'true', 'data-toggle': k,
        title: t('dash.series.toggle', { series: shareLabel(k) }), onclick: toggle(k),
      },
      h('span', {
        class: `key-line key-${k}`, 'aria-hidden': 'true',
        style: `border-top-color: ${SERIES_STYLE[k].color}`,
      }), shareLabel(k)))),
    hatched ? h('li', {}, h('span', { class: 'swatch hatched small', 'aria-hidden': 'true' }),
      t('dash.insufficient_data')) : null,
    h('li', { class: 'muted' }, t('dash.series.bands')));
}

// The chart's numbers as a table, for screen readers and copying.
function dataTable(groups, series, kind) {
  const number = { scope: 'col', 'data-sort-type': 'number' };
  return h('details', { class: 'chart-data' },
    h('summary', {}, t('dash.series.data_table')),
    h('div', { class: 'table-wrap' }, sortable(h('table', {},
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('dash.window')),
        h('th', number, t('dash.table.measured')),
        series.map((k) => h('th', number, shareLabel(k))))),
      h('tbody', {}, groups.map((g) => h('tr', {},
        h('th', { scope: 'row', 'data-sort': g.windowStart }, windowLabel(kind, g.windowStart, g.windowEnd)),
        g.insufficient
          ? h('td', { colspan: series.length + 1, class: 'insufficient' }, t('dash.insufficient_data'))
          : [h('td', { 'data-sort': g.measured }, int(g.measured)),
            series.map((k) => h('td', { 'data-sort': g.shares[k].value }, pctCI(g.shares[k])))])))))));
}
