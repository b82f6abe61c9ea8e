// "#/": the world map of the IPv6-capable share per country, the global
// figure, and tables of ITU regions and countries.
import { aggregates, worldTopology } from '../api.js';
import { add, h } from '../dom.js';
import { pctCI, int, windowLabel } from '../format.js';
import { href, windowParams, SERIES_WINDOWS } from '../router.js';
import { worldMap } from '../charts/world-map.js';
import { mapLegend } from '../charts/legend.js';
import { seriesHeading, timeSeries } from '../charts/time-series.js';
import { shareTable } from '../components/share-table.js';
import { aggregateDownloads } from '../components/downloads.js';
import { noData, syntheticBadge, syntheticOf } from '../components/messages.js';
import { methodologyNote } from '../components/methodology-note.js';
import { countryName } from '../countries.js';

export async function render(view, route, { width }) {
  const params = windowParams(route);
  const [countries, topology, global, regions, trend] = await Promise.all([
    aggregates({ group_by: 'country', ...params }),
    worldTopology(),
    aggregates({ group_by: 'global', ...params }),
    aggregates({ group_by: 'itu_region', ...params }),
    aggregates({ group_by: 'global', ...params, windows: SERIES_WINDOWS[route.window] }),
  ]);
  const { synthetic, probes } = syntheticOf(global, countries, regions);
  const none = noData(countries.meta);
  const k = countries.meta.minProbes;
  const byCode = new Map(countries.groups.map((g) => [g.key, g]));
  const { figure, missing } = worldMap({
    topology, groups: byCode, width, minProbes: k,
    linkFor: (code) => href(route, 'country', code),
  });
  const sample = global.groups[0] || countries.groups[0];

  add(view,
    h('h1', {}, 'IPv6 capability by country'),
    h('p', { class: 'window-label', 'data-window': route.window },
      sample ? windowLabel(route.window, sample.windowStart, sample.windowEnd) : `Current ${route.window}`,
      ' (UTC)'),
    syntheticBadge(synthetic, probes),
    global.groups[0] ? globalLine(global.groups[0]) : h('div', { class: 'lead' }, noData(global.meta)),
    global.groups[0] ? aggregateDownloads('worldwide', global) : null,
    global.groups[0] && !global.groups[0].insufficient ? methodologyNote(global.groups[0].methodologyVersions) : null,
    h('section', { class: 'map-section', 'aria-label': 'World map' }, figure, mapLegend(k)),
    missing.length
      ? h('p', { class: 'muted' }, `Not drawn at this map scale: ${missing.map(countryName).join(', ')} (see the table below).`)
      : null,
    trendSection(route, trend, global.groups[0], width),
    h('section', { 'aria-labelledby': 'countries-h' },
      h('h2', { id: 'countries-h' }, 'Countries'),
      countries.groups.length
        ? [shareTable({
          groups: [...countries.groups].sort((a, b) => (a.name || countryName(a.key)).localeCompare(b.name || countryName(b.key))),
          groupBy: 'country', nameHeader: 'Country',
          linkFor: (g) => (/^[A-Z]{2}$/.test(g.key) ? href(route, 'country', g.key) : null),
        }), aggregateDownloads('countries', countries)]
        : none),
    h('section', { 'aria-labelledby': 'regions-h' },
      h('h2', { id: 'regions-h' }, 'ITU regions'),
      regions.groups.length
        ? [shareTable({ groups: regions.groups, groupBy: 'itu_region', nameHeader: 'Region' }),
          aggregateDownloads('regions', regions)]
        : noData(regions.meta)));
  return 'IPv6 capability by country';
}

// The worldwide shares over the last windows (the global group's series).
function trendSection(route, trend, current, width) {
  return h('section', { 'aria-labelledby': 'trend-h', 'data-section': 'trend' },
    seriesHeading({
      id: 'trend-h', kind: route.window, groups: trend.groups, asked: SERIES_WINDOWS[route.window],
      current: current ? current.windowStart : '', prefix: 'Worldwide',
    }),
    trend.groups.length
      ? [timeSeries({
        groups: trend.groups, series: ['v6_capable', 'v6_preferred', 'v6_broken'],
        width, kind: route.window, label: 'Worldwide over time',
      }), aggregateDownloads('worldwide-trend', trend)]
      : noData(trend.meta));
}

function globalLine(g) {
  if (g.insufficient) return h('p', { class: 'lead' }, 'Worldwide: insufficient data in this window.');
  const s = g.shares;
  return h('p', { class: 'lead', 'data-key': 'global', 'data-share': s.v6_capable.value },
    'Worldwide, ', h('strong', {}, pctCI(s.v6_capable)), ` of ${int(g.measured)} measured probes are IPv6 capable; `,
    `${pctCI(s.v6_preferred)} prefer IPv6 and ${pctCI(s.v6_broken)} have broken IPv6`,
    s.v4_broken ? [`; ${pctCI(s.v4_broken)} have broken IPv4`] : null, '.');
}
