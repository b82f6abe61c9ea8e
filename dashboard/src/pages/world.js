// "#/": the world map per country, the global figure, and tables of ITU
// regions and countries. The map shows one of two measures
// (?measure=): the IPv6-capable share of probes (default), or the
// readiness of public services measured from each country — the share of
// a sector's domains working over IPv6 for a service, from a campaign's
// latest round (?campaign=, ?sector=, ?service=; pages/services.js has
// the tables).
import { aggregates, serviceCampaigns, serviceShares, worldTopology } from '../api.js';
import { add, h } from '../dom.js';
import { pctCI, windowLabel } from '../format.js';
import { lang, t, tn } from '../i18n.js';
import { groupLabel } from '../model.js';
import {
  hashOf, href, hrefWith, windowParams, SERIES_WINDOWS,
} from '../router.js';
import { worldMap } from '../charts/world-map.js';
import { mapLegend } from '../charts/legend.js';
import { seriesHeading, timeSeries } from '../charts/time-series.js';
import { shareTable } from '../components/share-table.js';
import { aggregateDownloads } from '../components/downloads.js';
import { pickerLine, shareDownloads } from '../components/service-controls.js';
import { empty, noData, syntheticBadge, syntheticOf } from '../components/messages.js';
import { methodologyNote } from '../components/methodology-note.js';
import { countryName } from '../countries.js';
import {
  SERVICE_KEYS, asShare, chosenCampaign, sectorName, serviceName, stateShare,
} from '../service-vocabulary.js';

export async function render(view, route, { width }) {
  add(view, measureSwitch(route));
  if (route.params.measure === 'services') return renderReadiness(view, route, width);
  return renderCapability(view, route, width);
}

// "Map: Network capability · Public-service readiness" (links keep the
// window, drop the other measure's parameters).
function measureSwitch(route) {
  const current = route.params.measure === 'services' ? 'services' : 'networks';
  const link = (measure, text) => h('a', {
    href: measure === 'services' ? hrefWith(route, { measure }) : href(route),
    'data-measure': measure, 'aria-current': measure === current ? 'page' : null,
  }, text);
  return h('nav', { class: 'pickers measure-switch', 'aria-label': t('dash.world.measure') },
    h('p', {}, tn('dash.world.measure_choice', {
      networks: link('networks', t('dash.world.measure_networks')),
      services: link('services', t('dash.world.measure_services')),
    })));
}

async function renderCapability(view, route, width) {
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
  const entries = new Map(countries.groups.map((g) => [g.key, {
    name: groupLabel(g, 'country'),
    status: g.insufficient ? 'insufficient' : 'published',
    share: g.insufficient ? null : g.shares.v6_capable,
    group: g,
    data: g.insufficient ? null : { 'data-probes': g.measured },
  }]));
  const { figure, missing } = worldMap({
    topology, entries, width, nameOf: countryName,
    linkFor: (code) => href(route, 'country', code),
    label: t('dash.world.map_label'),
    hint: t('dash.world.map_hint'),
    describe: (name, e) => {
      if (!e) return t('dash.map.no_probes', { name });
      if (e.status === 'insufficient') return t('dash.map.insufficient', { name, k: k || 'k' });
      return t('dash.map.capable', { name, share: pctCI(e.share), measured: e.group.measured });
    },
  });
  const sample = global.groups[0] || countries.groups[0];
  const title = t('dash.world.title');

  add(view,
    h('h1', {}, title),
    h('p', { class: 'window-label', 'data-window': route.window },
      sample ? t('dash.window_utc', { window: windowLabel(route.window, sample.windowStart, sample.windowEnd) })
        : t('dash.current_window', { kind: route.window })),
    syntheticBadge(synthetic, probes),
    global.groups[0] ? globalLine(global.groups[0]) : h('div', { class: 'lead' }, noData(global.meta)),
    global.groups[0] ? aggregateDownloads('worldwide', global) : null,
    global.groups[0] && !global.groups[0].insufficient ? methodologyNote(global.groups[0].methodologyVersions) : null,
    h('section', { class: 'map-section', 'aria-label': t('dash.world.map_section') }, figure, mapLegend(k)),
    missing.length
      ? h('p', { class: 'muted' }, t('dash.world.not_drawn', {
        countries: missing.map(countryName).join(t('dash.list_separator')),
      }))
      : null,
    trendSection(route, trend, global.groups[0], width),
    h('section', { 'aria-labelledby': 'countries-h' },
      h('h2', { id: 'countries-h' }, t('dash.world.countries')),
      countries.groups.length
        ? [shareTable({
          groups: [...countries.groups].sort((a, b) => groupLabel(a, 'country').localeCompare(groupLabel(b, 'country'), lang())),
          groupBy: 'country', nameHeader: t('dash.world.country'),
          linkFor: (g) => (/^[A-Z]{2}$/.test(g.key) ? href(route, 'country', g.key) : null),
        }), aggregateDownloads('countries', countries)]
        : none),
    h('section', { 'aria-labelledby': 'regions-h' },
      h('h2', { id: 'regions-h' }, t('dash.world.regions')),
      regions.groups.length
        ? [shareTable({ groups: regions.groups, groupBy: 'itu_region', nameHeader: t('dash.world.region') }),
          aggregateDownloads('regions', regions)]
        : noData(regions.meta)));
  return title;
}

// The worldwide shares over the last windows (the global group's series).
function trendSection(route, trend, current, width) {
  return h('section', { 'aria-labelledby': 'trend-h', 'data-section': 'trend' },
    seriesHeading({
      id: 'trend-h', kind: route.window, groups: trend.groups, asked: SERIES_WINDOWS[route.window],
      current: current ? current.windowStart : '', prefix: t('dash.world.worldwide'),
    }),
    trend.groups.length
      ? [timeSeries({
        groups: trend.groups, series: ['v6_capable', 'v6_preferred', 'v6_broken'],
        width, kind: route.window, label: t('dash.world.worldwide_over_time'),
      }), aggregateDownloads('worldwide-trend', trend)]
      : noData(trend.meta));
}

function globalLine(g) {
  if (g.insufficient) return h('p', { class: 'lead' }, t('dash.world.global_insufficient'));
  const s = g.shares;
  return h('p', { class: 'lead', 'data-key': 'global', 'data-share': s.v6_capable.value },
    tn(s.v4_broken ? 'dash.world.global_v4' : 'dash.world.global', {
      capable: h('strong', {}, pctCI(s.v6_capable)), measured: g.measured,
      preferred: pctCI(s.v6_preferred), broken: pctCI(s.v6_broken),
      v4broken: s.v4_broken ? pctCI(s.v4_broken) : '',
    }));
}

// --- the readiness map ---------------------------------------------------------

// The readiness measure's links: the campaign, sector and service shown.
const readinessHref = (route, params) => hrefWith(route, { measure: 'services', ...params });

async function renderReadiness(view, route, width) {
  const title = t('dash.world.readiness_title');
  const campaigns = await serviceCampaigns();
  add(view, h('h1', {}, title));
  if (!campaigns.length) {
    add(view, empty(t('dash.services.no_campaign')));
    return title;
  }
  const { campaign, service } = chosenCampaign(route, campaigns);
  const [answer, topology] = await Promise.all([
    serviceShares({ campaign_id: campaign.campaign_id, service }),
    worldTopology(),
  ]);
  const cells = answer.cells || [];
  const sectors = [...new Set(cells.map((c) => c.sector))].sort();
  // Government first when measured: the resolution's public services.
  const sector = sectors.includes(route.params.sector) ? route.params.sector
    : sectors.includes('government') ? 'government' : sectors[0] || '';
  const params = { campaign: campaign.campaign_id, sector, service };
  const k = answer.min_networks;
  const entries = new Map(cells.filter((c) => c.sector === sector && /^[A-Z]{2}$/.test(c.country))
    .map((c) => [c.country, {
      name: countryName(c.country),
      status: c.withheld ? 'insufficient' : 'published',
      share: c.withheld ? null : asShare(stateShare(c, 'SERVING_V6')),
      cell: c,
      data: { 'data-measure': 'services', 'data-domains': c.withheld ? null : c.n, 'data-networks': c.networks },
    }]));
  const { figure, missing } = worldMap({
    topology, entries, width, nameOf: countryName,
    linkFor: (code) => hashOf(['services', code], { campaign: campaign.campaign_id }),
    label: t('dash.world.readiness_map_label', { sector: sectorName(sector), service: serviceName(service) }),
    hint: t('dash.world.readiness_hint'),
    describe: (name, e) => {
      if (!e) return t('dash.world.readiness_none', { name });
      if (e.status === 'insufficient') return t('dash.world.readiness_withheld', { name, k });
      return t('dash.world.readiness_share', {
        name, share: pctCI(e.share), n: e.cell.n, networks: e.cell.networks,
      });
    },
  });
  add(view,
    h('nav', { class: 'pickers', 'aria-label': t('dash.services.pickers') },
      pickerLine(t('dash.services.campaign'), campaigns.map((c) => [c.campaign_id, c.name || c.campaign_id]),
        campaign.campaign_id, (id) => readinessHref(route, { ...params, campaign: id }), 'data-campaign'),
      pickerLine(t('dash.services.sector'), sectors.map((s) => [s, sectorName(s)]), sector,
        (s) => readinessHref(route, { ...params, sector: s }), 'data-sector'),
      pickerLine(t('dash.services.service'), SERVICE_KEYS.map((s) => [s, serviceName(s)]), service,
        (s) => readinessHref(route, { ...params, service: s }), 'data-service')),
    h('p', { class: 'window-label', 'data-round': answer.round },
      t('dash.services.round_line', {
        campaign: campaign.name || campaign.campaign_id, round: answer.round, service: serviceName(service),
      })),
    h('p', { class: 'muted' }, t('dash.world.readiness_intro', { sector: sectorName(sector), k })),
    cells.length ? null : empty(t('dash.services.no_results')),
    h('section', { class: 'map-section', 'aria-label': t('dash.world.map_section'), 'data-measure': 'services' },
      figure, mapLegend(k, {
        title: t('dash.world.readiness_legend', { sector: sectorName(sector) }),
        insufficient: t('dash.world.readiness_legend_withheld', { k }),
        none: t('dash.world.readiness_legend_none'),
      })),
    missing.length
      ? h('p', { class: 'muted' }, t('dash.world.not_drawn', {
        countries: missing.map(countryName).join(t('dash.list_separator')),
      }))
      : null,
    h('p', {}, h('a', {
      href: hashOf(['services'], { campaign: campaign.campaign_id, service }),
    }, t('dash.world.readiness_tables'))),
    shareDownloads(campaign.campaign_id, service));
  return title;
}
