// Number and date formatting in the reader's language (i18n.js): shares
// as "72% (65–78%)" in English, "72 % (65–78 %)" in French; dates in UTC.
// English keeps the exact forms the tests and docs quote.
import { utcFormat } from 'd3-time-format';

import { isRtl, lang, t } from './i18n.js';

// Two significant digits below 10% ("0.52%", "1.7%", "9.4%"), whole
// percents from 10% up ("48%", "100%"), 0 as "0%" (docs/dashboard.md). A
// value that rounds to 10% or more at two significant digits is printed
// whole ("9.96%" -> "10%"). Returns the rounded percentage and its
// decimals.
function rounded(v) {
  const x = v * 100;
  if (x === 0 || !Number.isFinite(x)) return { x: 0, decimals: 0 };
  const two = Number(Math.abs(x).toPrecision(2));
  if (two >= 10) return { x: Math.round(Math.abs(x)) * Math.sign(x), decimals: 0 };
  // Fixed decimals, never an exponent ("1.0e-7").
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(two)));
  return { x: Math.sign(x) * two, decimals };
}

const formats = new Map();
function numberFormat(options) {
  const key = `${lang()}|${JSON.stringify(options)}`;
  if (!formats.has(key)) formats.set(key, new Intl.NumberFormat(lang(), options));
  return formats.get(key);
}

// The percentage as a number without its sign: "72", "1.7" ("1,7" in French).
export function pctNumber(v) {
  const { x, decimals } = rounded(v);
  return numberFormat({ minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: false })
    .format(x);
}

// 0.7234 -> "72%", 0.0172 -> "1.7%" (the language's percent form).
export function pct(v) {
  const { x, decimals } = rounded(v);
  return numberFormat({ style: 'percent', minimumFractionDigits: decimals, maximumFractionDigits: decimals })
    .format(x / 100);
}

// A share with its 95% Wilson interval: "72% (65–78%)".
// In right-to-left text the share and its interval are isolated as one
// left-to-right run (U+2066 ... U+2069): otherwise the bidi algorithm
// turns "53% (44–62%)" into "(%62–44) 53%".
export function pctCI(share) {
  const text = t('dash.share_ci', { value: pct(share.value), low: pctNumber(share.ciLow), high: pct(share.ciHigh) });
  return isRtl() ? `\u2066${text}\u2069` : text;
}

// "8 of 20 probes"
export function ofProbes(share) {
  return t('dash.of_probes', { count: share.count, total: share.total });
}

export function int(n) {
  return numberFormat({}).format(Number(n));
}

export function number(n, digits = 1) {
  return numberFormat({ maximumFractionDigits: digits }).format(Number(n));
}

export function gapMs(ms) {
  if (ms === null || ms === undefined) return t('dash.n_a');
  const sign = ms > 0 ? '+' : ms < 0 ? '−' : '';
  return t('dash.ms', { value: `${sign}${number(Math.abs(ms))}` });
}

// English: d3's forms ("23 Nov 2026"); other languages: Intl's, in UTC.
const d3Day = utcFormat('%-d %b %Y');
const d3DayShort = utcFormat('%-d %b');
const d3Month = utcFormat('%B %Y');
const d3MonthShort = utcFormat('%b %Y');
const d3DateTime = utcFormat('%Y-%m-%d %H:%M UTC');
const INTL = {
  day: { day: 'numeric', month: 'short', year: 'numeric' },
  dayShort: { day: 'numeric', month: 'short' },
  month: { month: 'long', year: 'numeric' },
  monthShort: { month: 'short', year: 'numeric' },
  dateTime: {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23', timeZoneName: 'short',
  },
};
const D3 = { day: d3Day, dayShort: d3DayShort, month: d3Month, monthShort: d3MonthShort, dateTime: d3DateTime };
const dateFormats = new Map();
function dateIn(style, d) {
  if (lang() === 'en') return D3[style](d);
  const key = `${lang()}|${style}`;
  if (!dateFormats.has(key)) {
    dateFormats.set(key, new Intl.DateTimeFormat(lang(), { ...INTL[style], timeZone: 'UTC' }));
  }
  return dateFormats.get(key).format(d);
}

export const date = (iso) => (iso ? dateIn('day', new Date(iso)) : '—');
export const dateTimeUtc = (iso) => (iso ? dateIn('dateTime', new Date(iso)) : '—');

// The window a group covers, e.g. "23–29 Nov 2026" for a week.
export function windowLabel(kind, startIso, endIso) {
  if (!startIso) return '';
  const start = new Date(startIso);
  const last = new Date(new Date(endIso).getTime() - 1);
  if (kind === 'month') return dateIn('month', start);
  if (kind === 'week') return t('dash.iso_week', { start: dateIn('dayShort', start), end: dateIn('day', last) });
  return dateIn('day', start);
}

// A short label for a chart tick or a series point.
export function windowShort(kind, startIso) {
  const start = new Date(startIso);
  if (kind === 'month') return dateIn('monthShort', start);
  return dateIn('dayShort', start);
}
