// The collector's JSON API (collector/http/api.h), same origin. Responses
// are cached for a minute so that resizing or going back does not refetch.
import {
  normalizeGroup, normalizeMeta, normalizeProbe, normalizeAllocations, normalizeVerdict,
} from './model.js';

const TTL_MS = 60_000;
const MAX_PAGES = 50;
const cache = new Map();
let latestMeta = null;
const metaListeners = [];

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// A researcher's read key (docs/guides/researcher.md): taken once from
// `?key=rk-...` on first load, kept for the tab in sessionStorage, and
// dropped from the address bar so it stays out of history and bookmarks.
// Without one, the collector answers only loopback (or public) clients.
export function readKey() {
  if (typeof window === 'undefined' || !window.sessionStorage) return '';
  const url = new URL(window.location.href);
  const given = url.searchParams.get('key');
  if (given) {
    window.sessionStorage.setItem('v6scope-key', given);
    url.searchParams.delete('key');
    window.history.replaceState(window.history.state, '', url.toString());
  }
  return window.sessionStorage.getItem('v6scope-key') || '';
}

// path?params, without empty parameters: the URL the dashboard asks, and
// the one its download links point at (components/downloads.js).
export function apiUrl(path, params = {}) {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== '' && v !== undefined && v !== null));
  return `${path}${query.toString() ? `?${query}` : ''}`;
}

const MAX_RETRIES = 3;

async function fetchJson(path, params = {}) {
  const url = apiUrl(path, params);
  const hit = cache.get(url);
  if (hit && Date.now() - hit.time < TTL_MS) return hit.promise;
  const promise = (async () => {
    const headers = { Accept: 'application/json' };
    const key = readKey();
    if (key) headers.Authorization = `Bearer ${key}`;
    // Over the collector's per-address rate (429, Retry-After): wait as
    // told and ask again, a few times, rather than show an error for a
    // page that asks several questions at once.
    let resp = await fetch(url, { headers });
    for (let retry = 0; resp.status === 429 && retry < MAX_RETRIES; retry++) {
      const seconds = Math.min(5, Math.max(1, Number(resp.headers.get('Retry-After')) || 1));
      await new Promise((done) => { setTimeout(done, seconds * 1000); });
      resp = await fetch(url, { headers });
    }
    let body = null;
    try {
      body = await resp.json();
    } catch {
      // Not JSON: reported below.
    }
    if (!resp.ok || body === null) {
      // The API's error body is {"error": {"code", "status", "message"}}.
      const err = body && body.error;
      const why = (err && (err.message || err)) || `HTTP ${resp.status}`;
      throw new ApiError(`${url}: ${why}`, resp.status);
    }
    return body;
  })();
  cache.set(url, { time: Date.now(), promise });
  promise.catch(() => cache.delete(url));
  return promise;
}

// Every page of /api/v1/aggregates for `params` (group_by, window, at,
// windows, country, asn, region): {groups, meta, params, pages, raw}; `pages`
// > 1 when the answer did not fit one page of 1000 groups.
export async function aggregates(params) {
  const groups = [];
  const raw = [];  // The API's own JSON of each group, for downloads.
  let token = '';
  let meta = null;
  let page = 0;
  for (; page < MAX_PAGES; page++) {
    const body = await fetchJson('api/v1/aggregates',
      { ...params, page_size: 1000, page_token: token });
    groups.push(...(body.groups || []).map(normalizeGroup));
    raw.push(...(body.groups || []));
    meta = normalizeMeta(body);
    token = body.next_page_token || '';
    if (!token) break;
  }
  setMeta(meta);
  return { groups, meta, params, pages: page + 1, raw };
}

export async function allocations(country) {
  const body = await fetchJson('api/v1/allocations', { country });
  return {
    allocations: (body.allocations || []).map(normalizeAllocations),
    datasets: body.datasets || '',
    // "no AFRINIC data loaded", "attribution data incomplete": why the
    // answer may be empty or short.
    notes: body.notes || [],
  };
}

export async function probes() {
  const body = await fetchJson('api/v1/probes');
  return (body.probes || []).map(normalizeProbe);
}

// The verdict of a probe's newest stored run (/api/v1/runs lists newest
// first), or null when it has none.
export async function latestVerdict(probeId) {
  const body = await fetchJson('api/v1/runs', { probe_id: probeId, page_size: 1 });
  const runs = body.runs || [];
  return runs.length ? normalizeVerdict(runs[0]) : null;
}

let world = null;
// The country shapes built from world-atlas (dashboard/build.mjs).
export function worldTopology() {
  if (!world) {
    world = fetch('world.json').then((r) => {
      if (!r.ok) throw new ApiError(`world.json: HTTP ${r.status}`, r.status);
      return r.json();
    });
    world.catch(() => { world = null; });
  }
  return world;
}

function setMeta(meta) {
  if (!meta) return;
  latestMeta = meta;
  for (const fn of metaListeners) fn(meta);
}

export function onMeta(fn) {
  metaListeners.push(fn);
  if (latestMeta) fn(latestMeta);
}

export const currentMeta = () => latestMeta;

// Public-service readiness (docs/api.md): the campaigns, a campaign's
// shares per (country, sector, service), and its domains' views.
export async function serviceCampaigns() {
  const body = await fetchJson('api/v1/services/campaigns');
  return body.campaigns || [];
}

export async function serviceShares(params) {
  return fetchJson('api/v1/services/shares', params);
}

// Every page of the domains of `params` (at most MAX_PAGES of 1000).
export async function serviceDomains(params) {
  const domains = [];
  let token = '';
  let body = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    body = await fetchJson('api/v1/services/domains', { ...params, page_size: 1000, page_token: token });
    domains.push(...(body.domains || []));
    token = body.next_page_token || '';
    if (!token) break;
  }
  return { domains, round: body ? body.round : 0, minNetworks: body ? body.min_networks : 0 };
}
