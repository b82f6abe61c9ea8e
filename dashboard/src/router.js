// Hash routes: "#/", "#/country/KE", "#/asn/13335", "#/probes",
// "#/probe/p-0123", "#/methodology", "#/services", "#/services/KE",
// each with an optional
// "?window=week&at=2026-11-29".
export const WINDOWS = ['day', 'week', 'month'];
export const DEFAULT_WINDOW = 'week';

export function parseRoute(hash) {
  const raw = (hash || '').replace(/^#/, '');
  const [pathPart, queryPart = ''] = raw.split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(queryPart);
  const win = WINDOWS.includes(query.get('window')) ? query.get('window') : DEFAULT_WINDOW;
  const at = /^\d{4}-\d{2}-\d{2}$/.test(query.get('at') || '') ? query.get('at') : '';
  // Every parameter, for the pages with their own (#/services?campaign=).
  const params = Object.fromEntries(query.entries());
  return { page: parts[0] || 'world', args: parts.slice(1), window: win, at, params };
}

// The hash of a page: "#/services/KE?campaign=c-1" (parameters without a
// value are left out).
export function hashOf(parts, params = {}) {
  const path = parts.map((p) => encodeURIComponent(String(p))).join('/');
  const query = new URLSearchParams(Object.entries(params)
    .filter(([, v]) => v !== '' && v !== undefined && v !== null));
  const q = query.toString();
  return `#/${path}${q ? `?${q}` : ''}`;
}

// The hash for a page, keeping the window and date of `route`, with
// `params` after them (the map's ?measure=services...).
export function hrefWith(route, params, ...parts) {
  return hashOf(parts, {
    window: route.window !== DEFAULT_WINDOW ? route.window : '', at: route.at, ...params,
  });
}

// The hash for a page, keeping the window and date of `route`.
export function href(route, ...parts) {
  return hrefWith(route, {}, ...parts);
}

// The API parameters for the route's window.
export function windowParams(route) {
  const p = { window: route.window };
  if (route.at) p.at = route.at;
  return p;
}

// How many windows a time series shows.
export const SERIES_WINDOWS = { day: 30, week: 12, month: 12 };
