// The dashboard's language: which one the reader gets, its catalogue, and
// t() to say a message in it (docs/i18n.md).
//
// The language is ?lang= in the page's address when it names one of the
// six (ar, en, es, fr, ru, zh), else the first of the browser's preferred
// languages that is one of them, else English. Its catalogue is
// i18n/<lang>.json beside index.html: the build merges the reports'
// messages (i18n/messages), the dashboard's own (i18n/dashboard, keys
// "dash.*" and "vocab.*") and the country names of that language into it.
// English is also bundled, so a page still says everything when the file
// cannot be fetched.
//
// Messages are ICU MessageFormat patterns, the same ones the collector's
// reports use (checked by //common/i18n:catalogues_test): "{name}",
// "{n, number}", "{n, plural, one {# probe} other {# probes}}" (with "=0"
// style exact matches, and the language's plural categories from
// Intl.PluralRules) and "{kind, select, a {...} other {...}}".
import enMessages from '../../i18n/messages/en.json';
import enDashboard from '../../i18n/dashboard/en.json';

export const LANGS = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
// Each language by its own name, for the picker.
export const LANG_NAMES = {
  ar: 'العربية', en: 'English', es: 'Español', fr: 'Français', ru: 'Русский', zh: '中文',
};
const RTL = new Set(['ar']);

const ENGLISH = { ...enMessages, ...enDashboard };
let current = 'en';
let messages = ENGLISH;
let countries = null;  // code -> name in the current language, or null
const missing = new Set();

// The language asked for: ?lang=, then the browser's preferences.
export function pickLanguage(search = location.search, preferred = navigator.languages || []) {
  const asked = new URLSearchParams(search).get('lang');
  if (asked && LANGS.includes(asked.toLowerCase())) return asked.toLowerCase();
  for (const tag of preferred) {
    const primary = String(tag).toLowerCase().split('-')[0];
    if (LANGS.includes(primary)) return primary;
  }
  return 'en';
}

// Loads the catalogue of `lang` and sets <html lang dir>. A catalogue that
// cannot be fetched leaves the page in English, saying so in the console.
export async function loadLanguage(lang) {
  current = LANGS.includes(lang) ? lang : 'en';
  if (current !== 'en') {
    try {
      // I18N_VERSION: the catalogues' hash, defined by build.mjs.
      const resp = await fetch(`i18n/${current}.json?v=${I18N_VERSION}`);
      if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
      const body = await resp.json();
      messages = body.messages;
      countries = body.countries;
    } catch (err) {
      console.error(`i18n/${current}.json: ${err.message}; showing English`);
      current = 'en';
    }
  }
  document.documentElement.lang = current;
  document.documentElement.dir = RTL.has(current) ? 'rtl' : 'ltr';
  return current;
}

export const lang = () => current;
export const isRtl = () => RTL.has(current);

// A country's name in the current language (null: not in its table).
export function localCountryName(code) {
  return countries ? countries[code] || null : null;
}

// Whether the current catalogue has `key` (pages use it for optional
// names, e.g. a sector a newer collector sends).
export const has = (key) => Object.prototype.hasOwnProperty.call(messages, key)
  || Object.prototype.hasOwnProperty.call(ENGLISH, key);

// A key no catalogue has is shown as the key itself and listed in
// <html data-missing-messages> (the dashboard test fails on any).
function patternOf(key) {
  if (Object.prototype.hasOwnProperty.call(messages, key)) return messages[key];
  if (!missing.has(key)) {
    missing.add(key);
    document.documentElement.dataset.missingMessages = [...missing].join(' ');
    console.error(`i18n: no message ${key} in ${current}`);
  }
  return Object.prototype.hasOwnProperty.call(ENGLISH, key) ? ENGLISH[key] : key;
}

// --- the pattern parser ------------------------------------------------------

// Parses a pattern into a list of parts: strings, {arg}, {arg, type, ...}.
// The apostrophe quotes as in ICU's default mode: "''" is one apostrophe,
// and "'{" starts literal text up to the next apostrophe.
function parse(pattern) {
  let i = 0;
  function text(inPlural) {
    const parts = [];
    let buf = '';
    while (i < pattern.length) {
      const c = pattern[i];
      if (c === "'") {
        const next = pattern[i + 1];
        if (next === "'") { buf += "'"; i += 2; continue; }
        if (next === '{' || next === '}' || (inPlural && next === '#')) {
          const end = pattern.indexOf("'", i + 1);
          buf += pattern.slice(i + 1, end < 0 ? pattern.length : end).replaceAll("''", "'");
          i = end < 0 ? pattern.length : end + 1;
          continue;
        }
        buf += c; i += 1; continue;
      }
      if (c === '{') {
        if (buf) parts.push(buf);
        buf = '';
        parts.push(argument());
        continue;
      }
      if (c === '}') break;
      if (c === '#' && inPlural) {
        if (buf) parts.push(buf);
        buf = '';
        parts.push({ pound: true });
        i += 1;
        continue;
      }
      buf += c; i += 1;
    }
    if (buf) parts.push(buf);
    return parts;
  }
  function word() {
    const m = /^\s*([^,{}\s]+)\s*/.exec(pattern.slice(i));
    if (!m) throw new Error(`bad pattern at ${i}: ${pattern}`);
    i += m[0].length;
    return m[1];
  }
  function argument() {
    i += 1;  // {
    const name = word();
    if (pattern[i] === '}') { i += 1; return { name }; }
    i += 1;  // ,
    const type = word();
    if (pattern[i] === '}') { i += 1; return { name, type }; }
    i += 1;  // ,
    const options = {};
    let offset = 0;
    for (;;) {
      while (/\s/.test(pattern[i])) i += 1;
      if (pattern[i] === '}') { i += 1; break; }
      const selector = word();
      if (selector.startsWith('offset:')) { offset = Number(selector.slice(7)); continue; }
      i += 1;  // {
      options[selector] = text(type === 'plural' || type === 'selectordinal');
      i += 1;  // }
    }
    return { name, type, options, offset };
  }
  return text(false);
}

const parsed = new Map();
function compiled(pattern) {
  if (!parsed.has(pattern)) parsed.set(pattern, parse(pattern));
  return parsed.get(pattern);
}

// Formatters and plural rules of the current language, made once each
// (a table of hundreds of rows formats thousands of numbers).
const numberFormats = new Map();
function formatNumber(n) {
  if (!numberFormats.has(current)) numberFormats.set(current, new Intl.NumberFormat(current));
  return numberFormats.get(current).format(n);
}
const pluralRules = new Map();
function pluralRule(type) {
  const key = `${current}|${type}`;
  if (!pluralRules.has(key)) pluralRules.set(key, new Intl.PluralRules(current, { type }));
  return pluralRules.get(key);
}

// The parts of a message with its arguments in: strings and whatever
// non-string arguments were given (DOM nodes stay nodes).
function render(parts, args, pound) {
  const out = [];
  for (const part of parts) {
    if (typeof part === 'string') { out.push(part); continue; }
    if (part.pound) { out.push(formatNumber(pound)); continue; }
    const value = args[part.name];
    if (!part.type) {
      out.push(typeof value === 'number' ? formatNumber(value) : value === undefined ? `{${part.name}}` : value);
    } else if (part.type === 'number') {
      out.push(formatNumber(Number(value)));
    } else if (part.type === 'plural' || part.type === 'selectordinal') {
      const n = Number(value) - part.offset;
      const rules = pluralRule(part.type === 'plural' ? 'cardinal' : 'ordinal');
      const chosen = part.options[`=${Number(value)}`] || part.options[rules.select(n)] || part.options.other || [];
      out.push(...render(chosen, args, n));
    } else if (part.type === 'select') {
      out.push(...render(part.options[String(value)] || part.options.other || [], args, pound));
    } else {
      out.push(String(value));
    }
  }
  return out;
}

// The message `key` with `args` as one string.
export function t(key, args = {}) {
  return render(compiled(patternOf(key)), args).join('');
}

// The message `key` as a list of children for h(): arguments that are DOM
// nodes (a <strong> share, a link) stay nodes, in the place the
// translation puts them.
export function tn(key, args = {}) {
  return render(compiled(patternOf(key)), args);
}
