// "#/asn/13335": one origin AS's measured capability and time series.
import { aggregates } from '../api.js';
import { add, h } from '../dom.js';
import { windowLabel } from '../format.js';
import { href, windowParams, SERIES_WINDOWS } from '../router.js';
import { seriesHeading, timeSeries } from '../charts/time-series.js';
import { groupSummary } from '../components/group-summary.js';
import { aggregateDownloads } from '../components/downloads.js';
import { noData, syntheticBadge, syntheticOf } from '../components/messages.js';
import { groupLabel } from '../model.js';
import { t } from '../i18n.js';
import { notFound } from './not-found.js';

// The countries of the network's probes in this window (group_by=country
// filtered by the AS), most probes first, each a link to its page.
function countryLinks(route, countries) {
  const known = countries.groups.filter((g) => /^[A-Z]{2}$/.test(g.key))
    .sort((a, b) => (b.probes - a.probes) || a.key.localeCompare(b.key));
  if (!known.length) return null;
  return h('p', { class: 'network-countries', 'data-network-countries': known.map((g) => g.key).join(',') },
    known.length === 1 ? t('dash.network.country') : t('dash.network.countries'), ' ',
    known.map((g, i) => [i ? t('dash.list_separator') : '', h('a', {
      href: href(route, 'country', g.key), 'data-country-link': g.key,
    }, groupLabel(g, 'country'))]));
}

export async function render(view, route, { width }) {
  const asn = (route.args[0] || '').replace(/^AS/i, '');
  if (!/^\d{1,10}$/.test(asn) || Number(asn) > 4294967295) {
    return notFound(view, t('dash.not_asn', { asn: route.args[0] || '' }));
  }
  const params = { ...windowParams(route), group_by: 'asn', asn };
  const [current, series, countries] = await Promise.all([
    aggregates(params),
    aggregates({ ...params, windows: SERIES_WINDOWS[route.window] }),
    aggregates({ ...windowParams(route), group_by: 'country', asn }),
  ]);
  const group = current.groups[0];
  const named = [group, ...series.groups].find((g) => g && g.name);
  const title = named ? `AS${asn} ${named.name}` : `AS${asn}`;
  const { synthetic, probes } = syntheticOf(current, countries);
  const only = countries.groups.length === 1 && /^[A-Z]{2}$/.test(countries.groups[0].key)
    ? countries.groups[0] : null;

  add(view,
    h('nav', { class: 'breadcrumb', 'aria-label': t('dash.breadcrumb') },
      h('a', { href: href(route) }, t('dash.world_crumb')), ' › ',
      only ? [h('a', { href: href(route, 'country', only.key) }, groupLabel(only, 'country')), ' › '] : null,
      `AS${asn}`),
    h('h1', { 'data-asn': asn }, title),
    h('p', { class: 'window-label' },
      group ? t('dash.window_utc', { window: windowLabel(route.window, group.windowStart, group.windowEnd) })
        : t('dash.current_window', { kind: route.window })),
    countryLinks(route, countries),
    syntheticBadge(synthetic, probes),
    group ? null : noData(current.meta),
    h('div', { class: 'cards single' }, groupSummary(group, current.meta.minProbes)),
    group ? aggregateDownloads('summary', current) : null,
    h('section', { 'aria-labelledby': 'series-h' },
      seriesHeading({
        id: 'series-h', kind: route.window, groups: series.groups, asked: SERIES_WINDOWS[route.window],
        current: group ? group.windowStart : '',
      }),
      series.groups.length
        ? [timeSeries({
          groups: series.groups, series: ['v6_capable', 'v6_preferred', 'v6_broken'],
          width, kind: route.window, label: t('dash.over_time', { name: title }),
        }), aggregateDownloads('series', series)]
        : noData(series.meta)));
  return title;
}
