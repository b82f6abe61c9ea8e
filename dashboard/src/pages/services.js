// "#/services": a campaign's public-service readiness per country and
// sector (the share of domains serving over IPv6, with its interval), and
// "#/services/KE": one country's view — per sector and service the
// domains in each state, and its domains one by one, with the countries
// that saw them otherwise. Both take ?campaign=ID (default: the first
// campaign) and ?service=web|dns|mail. Numbers are the API's
// (/api/v1/services/shares and /domains), never recomputed here.
import { serviceCampaigns, serviceShares, serviceDomains, apiUrl } from '../api.js';
import { add, h } from '../dom.js';
import { pct, pctCI } from '../format.js';
import { lang, t } from '../i18n.js';
import { sortable } from '../components/sortable.js';
import { downloads } from '../components/downloads.js';
import { pickerLine, shareDownloads } from '../components/service-controls.js';
import { empty } from '../components/messages.js';
import { countryName } from '../countries.js';
import {
  SERVICE_KEYS, STATE_KEYS, asShare, chosenCampaign, sectorName, serviceName, stateName,
  stateShare as share,
} from '../service-vocabulary.js';
import { hashOf } from '../router.js';
import { notFound } from './not-found.js';

const servicesHref = (parts, params) => hashOf(['services', ...parts], params);

const ci = (s) => pctCI(asShare(s));

// A domain's service without a consensus: "split" (its probes tied) or
// "untested" (no probe tested that service).
const kindName = (kind) => (kind === 'split' || kind === 'untested' ? t(`dash.services.kind_${kind}`) : kind);

export async function render(view, route) {
  const campaigns = await serviceCampaigns();
  const title = t('dash.services.title');
  add(view, h('h1', {}, title));
  if (!campaigns.length) {
    add(view, empty(t('dash.services.no_campaign')));
    return title;
  }
  const { campaign, service } = chosenCampaign(route, campaigns);
  const country = (route.args[0] || '').toUpperCase();
  if (country && !/^[A-Z]{2}$/.test(country)) {
    return notFound(view, t('dash.not_country_code', { code: route.args[0] }));
  }
  const params = { campaign: campaign.campaign_id, service };
  add(view,
    h('nav', { class: 'pickers', 'aria-label': t('dash.services.pickers') },
      pickerLine(t('dash.services.campaign'), campaigns.map((c) => [c.campaign_id, c.name || c.campaign_id]),
        campaign.campaign_id,
        (id) => servicesHref(country ? [country] : [], { ...params, campaign: id }), 'data-campaign'),
      country ? null : pickerLine(t('dash.services.service'), SERVICE_KEYS.map((key) => [key, serviceName(key)]),
        service, (key) => servicesHref([], { ...params, service: key }), 'data-service')));
  if (country) return renderCountry(view, campaign, country, params);
  return renderOverview(view, campaign, service, params);
}

async function renderOverview(view, campaign, service, params) {
  const answer = await serviceShares({ campaign_id: campaign.campaign_id, service });
  const cells = answer.cells || [];
  const sectors = [...new Set(cells.map((c) => c.sector))].sort();
  const byCountry = new Map();
  for (const c of cells) {
    if (!byCountry.has(c.country)) byCountry.set(c.country, new Map());
    byCountry.get(c.country).set(c.sector, c);
  }
  const countries = [...byCountry.keys()].sort((a, b) => countryName(a).localeCompare(countryName(b), lang()));
  const title = t('dash.services.title');
  add(view,
    h('p', { class: 'window-label', 'data-round': answer.round },
      t('dash.services.round_line', {
        campaign: campaign.name || campaign.campaign_id, round: answer.round, service: serviceName(service),
      })),
    h('p', { class: 'muted' }, t('dash.services.overview_intro', { k: answer.min_networks })),
    h('p', {}, h('a', { href: hashOf([], { measure: 'services', campaign: campaign.campaign_id, service }) },
      t('dash.services.on_map'))));
  if (!countries.length) {
    add(view, empty(t('dash.services.no_results')));
    return title;
  }
  const table = h('table', { class: 'shares', 'data-table': 'service-shares' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('dash.world.country')),
      ...sectors.map((s) => h('th', { scope: 'col', 'data-sort-type': 'number' }, sectorName(s))))),
    h('tbody', {}, ...countries.map((cc) => h('tr', { 'data-key': cc },
      h('th', { scope: 'row' }, h('a', { href: servicesHref([cc], params), 'data-country-link': cc }, countryName(cc))),
      ...sectors.map((s) => {
        const cell = byCountry.get(cc).get(s);
        // No data-sort: no value, kept last either way (sortable.js).
        if (!cell) return h('td', {}, '—');
        if (cell.withheld) {
          return h('td', {
            class: 'withheld', 'data-country': cc, 'data-sector': s, 'data-withheld': 'true',
          }, t('dash.services.withheld'));
        }
        const serving = share(cell, 'SERVING_V6');
        return h('td', {
          class: 'num', 'data-sort': serving.value, 'data-country': cc, 'data-sector': s, 'data-share': serving.value,
          title: t('dash.services.of_domains', { count: serving.domains, n: cell.n }),
        }, ci(serving));
      })))));
  add(view, h('div', { class: 'table-scroll' }, sortable(table)),
    shareDownloads(campaign.campaign_id, service));
  return title;
}

// One stacked bar: the states' shares of the cell, largest first.
function stateBar(cell) {
  const parts = (cell.shares || []).filter((s) => s.domains > 0);
  return h('div', { class: 'state-bar', role: 'img', 'aria-label': parts.map((s) => `${stateName(s.state)} ${pct(s.value)}`).join(t('dash.list_separator')) },
    ...parts.map((s) => h('span', {
      class: `state state-${s.state.toLowerCase()}`, style: `width:${(s.value * 100).toFixed(2)}%`,
      title: t('dash.services.state_title', { state: stateName(s.state), n: s.domains, share: pct(s.value) }),
    })));
}

async function renderCountry(view, campaign, country, params) {
  const [answer, domains] = await Promise.all([
    serviceShares({ campaign_id: campaign.campaign_id, country }),
    serviceDomains({ campaign_id: campaign.campaign_id, country }),
  ]);
  const name = countryName(country);
  add(view,
    h('nav', { class: 'breadcrumb', 'aria-label': t('dash.breadcrumb') },
      h('a', { href: servicesHref([], params) }, t('dash.nav.services')), ' › ', name),
    h('h2', { 'data-country': country }, `${name} `, h('span', { class: 'code' }, country)),
    h('p', { class: 'window-label', 'data-round': answer.round },
      t('dash.services.round_from', { campaign: campaign.name || campaign.campaign_id, round: answer.round, name })),
    h('p', {}, h('a', { href: `report/${country}?lang=${lang()}`, 'data-report': country }, t('dash.report_link'))));
  const cells = answer.cells || [];
  if (!cells.length) {
    add(view, empty(t('dash.services.country_none', { name })));
    return t('dash.services.country_title', { name });
  }
  const legend = h('ul', { class: 'state-legend' }, ...STATE_KEYS.map((k) =>
    h('li', {}, h('span', { class: `state state-${k.toLowerCase()}` }), stateName(k))));
  const rows = cells.map((c) => h('tr', { 'data-sector': c.sector, 'data-service': c.service },
    h('th', { scope: 'row' }, sectorName(c.sector)),
    h('td', {}, serviceName(c.service)),
    c.withheld
      ? h('td', { colspan: 3, class: 'withheld', 'data-withheld': 'true' },
        t('dash.services.withheld_reason', { reason: c.withheld_reason }))
      : [h('td', { class: 'num', 'data-sort': c.n }, String(c.n)),
        h('td', {
          class: 'num', 'data-sort': share(c, 'SERVING_V6').value, 'data-share': share(c, 'SERVING_V6').value,
          'data-sector': c.sector, 'data-service': c.service,
        },
          ci(share(c, 'SERVING_V6'))),
        h('td', {}, stateBar(c))]));
  add(view,
    h('section', { 'aria-labelledby': 'states-h' },
      h('h3', { id: 'states-h' }, t('dash.services.by_sector')),
      h('div', { class: 'table-scroll' }, sortable(h('table', { class: 'states', 'data-table': 'service-states' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('dash.services.sector_col')), h('th', { scope: 'col' }, t('dash.services.service_col')),
          h('th', { scope: 'col', 'data-sort-type': 'number' }, t('dash.services.domains_col')),
          h('th', { scope: 'col', 'data-sort-type': 'number' }, stateName('SERVING_V6')),
          h('th', { scope: 'col' }, t('dash.services.states_col')))),
        h('tbody', {}, ...rows)))),
      legend));

  const view_of = (d) => (d.countries || []).find((c) => c.country === country);
  const stateOf = (v, service) => {
    const s = v && !v.withheld ? (v.services || []).find((x) => x.service === service) : null;
    if (!s) return v && v.withheld ? t('dash.services.withheld') : '—';
    if (s.kind === 'state') return stateName(s.state);
    return kindName(s.kind);  // "split", "untested"
  };
  const elsewhere = (d) => (d.disagreements || [])
    .map((g) => t('dash.services.elsewhere', {
      service: serviceName(g.service),
      countries: (g.countries || []).filter((c) => c.country !== country)
        .map((c) => `${c.country} ${c.kind === 'state' ? stateName(c.state) : kindName(c.kind)}`)
        .join(t('dash.list_separator')),
    }))
    .join('; ');
  const table = h('table', { class: 'domains', 'data-table': 'service-domains' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('dash.services.domain_col')), h('th', { scope: 'col' }, t('dash.services.sector_col')),
      ...SERVICE_KEYS.map((s) => h('th', { scope: 'col' }, serviceName(s))),
      h('th', { scope: 'col' }, t('dash.services.elsewhere_col')))),
    h('tbody', {}, ...domains.domains.map((d) => {
      const v = view_of(d);
      return h('tr', { 'data-domain': d.domain },
        h('th', { scope: 'row' }, d.domain),
        h('td', {}, sectorName(d.sector)),
        ...SERVICE_KEYS.map((s) => h('td', { 'data-domain': d.domain, 'data-service': s }, stateOf(v, s))),
        h('td', {}, elsewhere(d)));
    })));
  add(view,
    h('section', { 'aria-labelledby': 'domains-h' },
      h('h3', { id: 'domains-h' }, t('dash.services.domains_heading', { n: domains.domains.length })),
      h('p', { class: 'muted' }, t('dash.services.domains_intro', { name })),
      h('div', { class: 'table-scroll' }, sortable(table)),
      downloads('service-domains', {
        csv: apiUrl('api/v1/services/domains', { campaign_id: campaign.campaign_id, country, format: 'csv' }),
        json: apiUrl('api/v1/services/domains', { campaign_id: campaign.campaign_id, country }),
      })));
  return t('dash.services.country_title', { name });
}
