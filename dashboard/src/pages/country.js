// "#/country/KE": a country's measured capability next to its IPv6
// allocations, its time series and its networks.
import { aggregates, allocations } from '../api.js';
import { add, h } from '../dom.js';
import { windowLabel } from '../format.js';
import { apiUrl } from '../api.js';
import { href, windowParams, SERIES_WINDOWS } from '../router.js';
import { seriesHeading, timeSeries } from '../charts/time-series.js';
import { groupSummary } from '../components/group-summary.js';
import { allocationCard } from '../components/allocations.js';
import { shareTable } from '../components/share-table.js';
import { aggregateDownloads, downloads, dataUrl, toCsv } from '../components/downloads.js';
import { noData, syntheticBadge, syntheticOf } from '../components/messages.js';
import { countryName } from '../countries.js';
import { lang, t } from '../i18n.js';
import { groupLabel } from '../model.js';
import { notFound } from './not-found.js';

export async function render(view, route, { width }) {
  const code = (route.args[0] || '').toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) return notFound(view, t('dash.not_country_code', { code: route.args[0] || '' }));
  const params = { ...windowParams(route), country: code };
  const [current, series, networks, alloc] = await Promise.all([
    aggregates({ group_by: 'country', ...params }),
    aggregates({ group_by: 'country', ...params, windows: SERIES_WINDOWS[route.window] }),
    aggregates({ group_by: 'asn', ...params }),
    allocations(code),
  ]);
  const k = current.meta.minProbes;
  const group = current.groups[0];
  const named = [group, ...series.groups].find((g) => g && g.name);
  // Unmeasured countries have no group to name them: the ISO table does.
  const name = named ? groupLabel(named, 'country') : countryName(code);
  const { synthetic, probes } = syntheticOf(current, networks);
  const alloc0 = alloc.allocations.find((a) => a.country === code) || null;

  add(view,
    h('nav', { class: 'breadcrumb', 'aria-label': t('dash.breadcrumb') },
      h('a', { href: href(route) }, t('dash.world_crumb')), ' › ', name),
    h('h1', { 'data-country': code }, `${name} `, h('span', { class: 'code' }, code)),
    h('p', { class: 'window-label' },
      group ? t('dash.window_utc', { window: windowLabel(route.window, group.windowStart, group.windowEnd) })
        : t('dash.current_window', { kind: route.window })),
    // The printable national report (docs/reports.md), served beside the
    // dashboard by the collector, in the reader's language.
    h('p', { class: 'report-link' },
      h('a', { href: `report/${code}?lang=${lang()}`, 'data-report': code }, t('dash.report_link')),
      ' ', t('dash.report_link_note')),
    syntheticBadge(synthetic, probes),
    group ? null : noData(current.meta),
    h('div', { class: 'cards' }, groupSummary(group, k), allocationCard(alloc0, group, alloc.notes)),
    group ? aggregateDownloads('summary', current) : null,
    alloc0 ? allocationDownloads(code, alloc0) : null,
    h('section', { 'aria-labelledby': 'series-h' },
      seriesHeading({
        id: 'series-h', kind: route.window, groups: series.groups, asked: SERIES_WINDOWS[route.window],
        current: group ? group.windowStart : '',
      }),
      series.groups.length
        ? [timeSeries({
          groups: series.groups, series: ['v6_capable', 'v6_preferred', 'v6_broken'],
          width, kind: route.window, label: t('dash.over_time', { name }),
        }), aggregateDownloads('series', series)]
        : noData(series.meta)),
    h('section', { 'aria-labelledby': 'networks-h' },
      h('h2', { id: 'networks-h' }, t('dash.country.networks')),
      h('p', { class: 'muted' }, t('dash.country.networks_note')),
      networks.groups.length
        ? [shareTable({
          groups: sortByProbes(networks.groups), groupBy: 'asn', nameHeader: t('dash.country.network'),
          linkFor: (g) => (/^\d+$/.test(g.key) ? href(route, 'asn', g.key) : null),
        }), aggregateDownloads('networks', networks)]
        : noData(networks.meta)));
  return `${name} (${code})`;
}

// The allocation card's numbers: the API's JSON, and a one-row CSV.
function allocationDownloads(code, a) {
  const csv = toCsv(['country', 'delegations', 'slash32_equivalents', 'first_date', 'latest_date'],
    [[a.country, a.delegations, a.slash32, a.firstDate, a.latestDate]]);
  return downloads('allocations', {
    csv: dataUrl('text/csv', csv), json: apiUrl('api/v1/allocations', { country: code }),
  });
}

// Published groups by measured probes (most first), then the rest.
export function sortByProbes(groups) {
  return [...groups].sort((a, b) => (a.insufficient - b.insufficient) || (b.measured - a.measured)
    || a.key.localeCompare(b.key, 'en', { numeric: true }));
}
