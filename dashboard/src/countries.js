// Country names by ISO 3166-1 alpha-2 code, for countries the collector
// names in no answer (unmeasured ones: its names come with its groups) and
// for every country in a language other than English. The tables are
// i18n-iso-countries' (English bundled; the others merged into
// i18n/<lang>.json at build time): nothing is fetched from another host.
import en from 'i18n-iso-countries/langs/en.json';

import { localCountryName } from './i18n.js';

// A name may be a list of variants ("United States of America", "USA"...):
// the first is the official short name (the build keeps only that one for
// the other languages).
export function countryName(code) {
  const upper = String(code || '').toUpperCase();
  const local = localCountryName(upper);
  if (local) return local;
  const name = en.countries[upper];
  if (Array.isArray(name)) return name[0];
  return name || code;
}
