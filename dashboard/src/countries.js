// Country names by ISO 3166-1 alpha-2 code, for countries the collector
// names in no answer (unmeasured ones: its names come with its groups).
// The table is i18n-iso-countries' English one, bundled at build time:
// nothing is fetched at run time.
import en from 'i18n-iso-countries/langs/en.json';

// A name may be a list of variants ("United States of America", "USA"...):
// the first is the official short name.
export function countryName(code) {
  const name = en.countries[String(code || '').toUpperCase()];
  if (Array.isArray(name)) return name[0];
  return name || code;
}
