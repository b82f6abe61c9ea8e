// The public-service readiness vocabulary the Services pages and the
// world map share: services, readiness states (proto/readiness.proto) and
// sectors, each named by the reports' messages (service.*, state.*,
// sector.* in i18n/messages), so a page and a report say the same words.
import { has, t } from './i18n.js';

export const SERVICE_KEYS = ['web', 'dns', 'mail'];
export const STATE_KEYS = [
  'NO_SERVICE', 'NO_AAAA', 'AAAA_UNREACHABLE', 'NOT_SERVING_V6', 'SERVING_V6',
  'DIFFERENT_SITE_V6', 'TLS_FAILS_V6', 'REDIRECTS_TO_V4_ONLY', 'PARTIAL_V6', 'BROKEN_V4',
];

// A name a newer collector sends that no message has is shown as sent.
const messageOr = (key, fallback) => (has(key) ? t(key) : fallback);
export const serviceName = (s) => messageOr(`service.${s}`, s);
export const stateName = (s) => messageOr(`state.${String(s).toLowerCase()}`, s);
export const sectorName = (s) => messageOr(`sector.${s}`, s);

// The campaign (?campaign=, default the first) and service (?service=,
// default web) a route asks for, of `campaigns` (not empty).
export function chosenCampaign(route, campaigns) {
  return {
    campaign: campaigns.find((c) => c.campaign_id === route.params.campaign) || campaigns[0],
    service: SERVICE_KEYS.includes(route.params.service) ? route.params.service : 'web',
  };
}

// The share of `state` in a cell of /api/v1/services/shares (0 when the
// API lists none).
export function stateShare(cell, state) {
  return (cell.shares || []).find((s) => s.state === state) || { value: 0, ci_low: 0, ci_high: 0, domains: 0 };
}

// A state share as format.js's share ({value, ciLow, ciHigh}).
export const asShare = (s) => ({ value: s.value, ciLow: s.ci_low, ciHigh: s.ci_high });
