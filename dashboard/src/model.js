import { countryName } from './countries.js';
import { has, lang, localCountryName, t } from './i18n.js';

// The API's JSON (protobuf JSON mapping, proto field names) turned into
// plain objects with every number present: the API prints every field
// (docs/api.md), an unset message or optional number as null, so a null
// median_gap_ms means "no value" (older collectors omitted it instead).
// See proto/query_service.proto.

// The shares a group carries, in display order, with their labels. An
// optional one (true) is shown only when the API sends it: methodology 2
// added v4_broken, and an older collector's answer without it does not
// mean 0%.
export const SHARES = [
  ['v6_capable', 'IPv6 capable'],
  ['v6_preferred', 'IPv6 preferred'],
  ['v6_broken', 'IPv6 broken'],
  ['v4_broken', 'IPv4 broken', true],
  ['pmtu_broken', 'PMTU broken'],
  ['nat64', 'Behind NAT64'],
  ['resolver_v6', 'Resolver reaches IPv6'],
];
// A share's label in the reader's language (message dash.share.<key>; the
// English ones are those above).
export const shareLabel = (key) => t(`dash.share.${key}`);

const num = (v) => (v === undefined || v === null ? 0 : Number(v));

export function normalizeShare(s) {
  s = s || {};
  return {
    count: num(s.count),
    total: num(s.total),
    value: num(s.value),
    ciLow: num(s.ci_low),
    ciHigh: num(s.ci_high),
  };
}

export function normalizeAllocations(a) {
  if (!a) return null;
  return {
    country: a.country || '',
    delegations: num(a.delegations),
    slash32: num(a.slash32_equivalents),
    firstDate: a.first_date || '',
    latestDate: a.latest_date || '',
  };
}

export function normalizeGroup(g) {
  const insufficient = Boolean(g.insufficient_data);
  const shares = {};
  if (!insufficient) {
    for (const [key, , optional] of SHARES) {
      if (!optional || g[key]) shares[key] = normalizeShare(g[key]);
    }
  }
  return {
    key: g.key || '',
    name: g.name || '',
    windowStart: g.window_start || '',
    windowEnd: g.window_end || '',
    probes: num(g.probes),
    runs: num(g.runs),
    // Synthetic sample data among `probes` (absent from older collectors: 0).
    syntheticProbes: num(g.synthetic_probes),
    insufficient,
    measured: num(g.measured_probes),
    shares,
    medianGapMs: g.median_gap_ms == null ? null : Number(g.median_gap_ms),
    gapProbes: num(g.gap_probes),
    // share: null when the API sent only the count (before methodology 2).
    causes: (g.causes || []).map((c) => ({
      cause: c.cause, probes: num(c.probes), share: c.share ? normalizeShare(c.share) : null,
    })),
    methodologyVersions: (g.methodology_versions || []).map((m) => ({
      version: m.version || '', probes: num(m.probes),
    })),
    allocations: normalizeAllocations(g.allocations),
  };
}

// Meta data every aggregates response carries (shown in the footer).
export function normalizeMeta(resp) {
  return {
    minProbes: num(resp.min_probes),
    methodologyVersion: resp.methodology_version || '',
    datasets: resp.datasets || '',
    // Some attribution file loaded only in part (--allow_partial_data).
    partial: Boolean(resp.attribution_data && resp.attribution_data.partial),
    // The newest stored run of any probe; '' when unset (none stored, or a
    // collector older than issue 18).
    latestRunAt: resp.latest_run_at || '',
  };
}

// A stored run's verdict (StoredRun of /api/v1/runs), or null without one.
export function normalizeVerdict(stored) {
  const run = (stored && stored.run) || {};
  const v = run.verdict;
  if (!v) return null;
  return {
    seq: stored.seq || '',
    startedAt: run.started_at || '',
    capability: v.capability || 'CAPABILITY_UNSPECIFIED',
    causes: v.root_causes || [],
    score: num(v.score),
    methodologyVersion: v.methodology_version || '',
    explanations: (v.explanations || []).map((e) => ({ label: e.label || '', text: e.text || '' })),
  };
}

export function normalizeProbe(p) {
  return {
    id: p.probe_id || '',
    org: p.org || '',
    enrolledAt: p.enrolled_at || '',
    lastRunAt: p.last_run_at || '',
    runs: num(p.runs),  // uint64: a string in JSON.
    // Sample data (`v6scope-collector sample-data`); absent: a real probe.
    synthetic: p.synthetic === true,
  };
}

// The key of probes the collector could not attribute to an AS or country.
export const UNKNOWN_KEY = 'unknown';

export function groupLabel(group, groupBy) {
  if (group.key === UNKNOWN_KEY) return group.name || t('dash.not_attributed');
  if (groupBy === 'asn') return group.name ? `AS${group.key} ${group.name}` : `AS${group.key}`;
  // The collector names groups in English; other languages use their own
  // names of countries and ITU regions (the reports' region.<slug>).
  if (groupBy === 'country') return localCountryName(group.key) || group.name || countryName(group.key);
  if (groupBy === 'itu_region' && lang() !== 'en' && has(`region.${group.key}`)) {
    return t(`region.${group.key}`);
  }
  return group.name || group.key;
}
