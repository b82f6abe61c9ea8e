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
import { sortable } from '../components/sortable.js';
import { downloads } from '../components/downloads.js';
import { empty } from '../components/messages.js';
import { countryName } from '../countries.js';
import { notFound } from './not-found.js';

const SERVICES = { web: 'Web', dns: 'DNS', mail: 'Mail' };
// The readiness states (proto/readiness.proto), as the reports name them
// in English (i18n/messages/en.json).
export const STATES = {
  NO_SERVICE: 'No such service',
  NO_AAAA: 'No IPv6 address',
  AAAA_UNREACHABLE: 'IPv6 address unreachable',
  NOT_SERVING_V6: 'Fails over IPv6',
  SERVING_V6: 'Works over IPv6',
  DIFFERENT_SITE_V6: 'Different site over IPv6',
  TLS_FAILS_V6: 'TLS fails over IPv6',
  REDIRECTS_TO_V4_ONLY: 'Redirects to an IPv4-only host',
  PARTIAL_V6: 'Partly over IPv6',
  BROKEN_V4: 'Down over IPv4 too',
};
const SECTORS = {
  government: 'Government', education: 'Education', health: 'Health', banking: 'Banking',
  telecom: 'Telecommunications', transport: 'Transport', 'top-sites': 'Most visited sites',
  other: 'Other',
};
const sectorName = (s) => SECTORS[s] || s;

function servicesHref(parts, params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v));
  const path = ['services', ...parts].map(encodeURIComponent).join('/');
  return `#/${path}${q.toString() ? `?${q}` : ''}`;
}

function share(cell, state) {
  return (cell.shares || []).find((s) => s.state === state) || { value: 0, ci_low: 0, ci_high: 0, domains: 0 };
}

const ci = (s) => pctCI({ value: s.value, ciLow: s.ci_low, ciHigh: s.ci_high });

export async function render(view, route) {
  const campaigns = await serviceCampaigns();
  add(view, h('h1', {}, 'Public-service readiness'));
  if (!campaigns.length) {
    add(view, empty('No public-service campaign on this collector yet (docs/campaigns.md).'));
    return 'Public-service readiness';
  }
  const campaign = campaigns.find((c) => c.campaign_id === route.params.campaign) || campaigns[0];
  const service = SERVICES[route.params.service] ? route.params.service : 'web';
  const country = (route.args[0] || '').toUpperCase();
  if (country && !/^[A-Z]{2}$/.test(country)) {
    return notFound(view, `"${route.args[0]}" is not an ISO 3166-1 alpha-2 country code.`);
  }
  const params = { campaign: campaign.campaign_id, service };
  add(view,
    h('nav', { class: 'pickers', 'aria-label': 'Campaign and service' },
      h('p', {}, 'Campaign: ', ...campaigns.map((c, i) => [i ? ' · ' : '',
        h('a', {
          href: servicesHref(country ? [country] : [], { ...params, campaign: c.campaign_id }),
          'data-campaign': c.campaign_id,
          'aria-current': c.campaign_id === campaign.campaign_id ? 'page' : null,
        }, c.name || c.campaign_id)])),
      country ? null : h('p', {}, 'Service: ', ...Object.entries(SERVICES).map(([key, name], i) => [i ? ' · ' : '',
        h('a', {
          href: servicesHref([], { ...params, service: key }),
          'data-service': key, 'aria-current': key === service ? 'page' : null,
        }, name)]))));
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
  const countries = [...byCountry.keys()].sort((a, b) => countryName(a).localeCompare(countryName(b)));
  add(view,
    h('p', { class: 'window-label', 'data-round': answer.round },
      `${campaign.name || campaign.campaign_id}: round ${answer.round}, ${SERVICES[service]}`),
    h('p', { class: 'muted' },
      'Share of domains that work over IPv6, with its 95% interval, '
      + `per country the probes measured from and sector. A cell measured from fewer than `
      + `${answer.min_networks} distinct networks is withheld.`));
  if (!countries.length) {
    add(view, empty('No results for this campaign yet.'));
    return 'Public-service readiness';
  }
  const table = h('table', { class: 'shares', 'data-table': 'service-shares' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Country'),
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
          }, 'withheld');
        }
        const serving = share(cell, 'SERVING_V6');
        return h('td', {
          class: 'num', 'data-sort': serving.value, 'data-country': cc, 'data-sector': s, 'data-share': serving.value,
          title: `${serving.domains} of ${cell.n} domains`,
        }, ci(serving));
      })))));
  add(view, sortable(table),
    downloads('service-shares', {
      csv: apiUrl('api/v1/services/shares', { campaign_id: campaign.campaign_id, service, format: 'csv' }),
      json: apiUrl('api/v1/services/shares', { campaign_id: campaign.campaign_id, service }),
    }));
  return 'Public-service readiness';
}

// One stacked bar: the states' shares of the cell, largest first.
function stateBar(cell) {
  const parts = (cell.shares || []).filter((s) => s.domains > 0);
  return h('div', { class: 'state-bar', role: 'img', 'aria-label': parts.map((s) => `${STATES[s.state]} ${pct(s.value)}`).join(', ') },
    ...parts.map((s) => h('span', {
      class: `state state-${s.state.toLowerCase()}`, style: `width:${(s.value * 100).toFixed(2)}%`,
      title: `${STATES[s.state]}: ${s.domains} (${pct(s.value)})`,
    })));
}

async function renderCountry(view, campaign, country, params) {
  const [answer, domains] = await Promise.all([
    serviceShares({ campaign_id: campaign.campaign_id, country }),
    serviceDomains({ campaign_id: campaign.campaign_id, country }),
  ]);
  const name = countryName(country);
  add(view,
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: servicesHref([], params) }, 'Services'), ' › ', name),
    h('h2', { 'data-country': country }, `${name} `, h('span', { class: 'code' }, country)),
    h('p', { class: 'window-label', 'data-round': answer.round },
      `${campaign.name || campaign.campaign_id}: round ${answer.round}, as measured from ${name}`),
    h('p', {}, h('a', { href: `report/${country}`, 'data-report': country }, 'National IPv6 progress report')));
  const cells = answer.cells || [];
  if (!cells.length) {
    add(view, empty(`No probe in ${name} measured this campaign yet.`));
    return `${name}: public services`;
  }
  const legend = h('ul', { class: 'state-legend' }, ...Object.entries(STATES).map(([k, v]) =>
    h('li', {}, h('span', { class: `state state-${k.toLowerCase()}` }), v)));
  const rows = cells.map((c) => h('tr', { 'data-sector': c.sector, 'data-service': c.service },
    h('th', { scope: 'row' }, sectorName(c.sector)),
    h('td', {}, SERVICES[c.service] || c.service),
    c.withheld
      ? h('td', { colspan: 3, class: 'withheld', 'data-withheld': 'true' }, `withheld: ${c.withheld_reason}`)
      : [h('td', { class: 'num', 'data-sort': c.n }, String(c.n)),
        h('td', {
          class: 'num', 'data-sort': share(c, 'SERVING_V6').value, 'data-share': share(c, 'SERVING_V6').value,
          'data-sector': c.sector, 'data-service': c.service,
        },
          ci(share(c, 'SERVING_V6'))),
        h('td', {}, stateBar(c))]));
  add(view,
    h('section', { 'aria-labelledby': 'states-h' },
      h('h3', { id: 'states-h' }, 'By sector and service'),
      sortable(h('table', { class: 'states', 'data-table': 'service-states' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Sector'), h('th', { scope: 'col' }, 'Service'),
          h('th', { scope: 'col', 'data-sort-type': 'number' }, 'Domains'),
          h('th', { scope: 'col', 'data-sort-type': 'number' }, STATES.SERVING_V6),
          h('th', { scope: 'col' }, 'States'))),
        h('tbody', {}, ...rows))),
      legend));

  const view_of = (d) => (d.countries || []).find((c) => c.country === country);
  const stateOf = (v, service) => {
    const s = v && !v.withheld ? (v.services || []).find((x) => x.service === service) : null;
    if (!s) return v && v.withheld ? 'withheld' : '—';
    if (s.kind === 'state') return STATES[s.state] || s.state;
    return s.kind;  // "split", "untested"
  };
  const elsewhere = (d) => (d.disagreements || [])
    .map((g) => `${SERVICES[g.service] || g.service}: ${(g.countries || [])
      .filter((c) => c.country !== country)
      .map((c) => `${c.country} ${c.kind === 'state' ? (STATES[c.state] || c.state) : c.kind}`).join(', ')}`)
    .join('; ');
  const table = h('table', { class: 'domains', 'data-table': 'service-domains' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Domain'), h('th', { scope: 'col' }, 'Sector'),
      ...Object.values(SERVICES).map((s) => h('th', { scope: 'col' }, s)),
      h('th', { scope: 'col' }, 'Seen otherwise from'))),
    h('tbody', {}, ...domains.domains.map((d) => {
      const v = view_of(d);
      return h('tr', { 'data-domain': d.domain },
        h('th', { scope: 'row' }, d.domain),
        h('td', {}, sectorName(d.sector)),
        ...Object.keys(SERVICES).map((s) => h('td', { 'data-domain': d.domain, 'data-service': s }, stateOf(v, s))),
        h('td', {}, elsewhere(d)));
    })));
  add(view,
    h('section', { 'aria-labelledby': 'domains-h' },
      h('h3', { id: 'domains-h' }, `Domains (${domains.domains.length})`),
      h('p', { class: 'muted' }, `Each domain's consensus as measured from ${name}; the last column names the countries `
        + 'whose published consensus differs (a site ready from one country and broken from another).'),
      h('div', { class: 'table-scroll' }, sortable(table)),
      downloads('service-domains', {
        csv: apiUrl('api/v1/services/domains', { campaign_id: campaign.campaign_id, country, format: 'csv' }),
        json: apiUrl('api/v1/services/domains', { campaign_id: campaign.campaign_id, country }),
      })));
  return `${name}: public services`;
}
