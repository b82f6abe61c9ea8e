// Number and date formatting: shares as "72% (65–78%)", dates in UTC.
import { utcFormat } from 'd3-time-format';

// The one precision rule for shares and interval bounds (docs/dashboard.md):
// two significant digits below 10% ("0.52%", "1.7%", "9.4%"), whole
// percents from 10% up ("48%", "100%"), 0 as "0%". A value that rounds to
// 10% or more at two significant digits is printed whole ("9.96%" -> "10%").
export function pctNumber(v) {
  const x = v * 100;
  if (x === 0 || !Number.isFinite(x)) return '0';
  const two = Number(Math.abs(x).toPrecision(2));
  if (two >= 10) return String(Math.round(Math.abs(x)) * Math.sign(x));
  // toFixed, not toPrecision: never an exponent ("1.0e-7").
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(two)));
  return `${x < 0 ? '-' : ''}${two.toFixed(decimals)}`;
}

// 0.7234 -> "72%", 0.0172 -> "1.7%".
export function pct(v) {
  return `${pctNumber(v)}%`;
}

const bare = pctNumber;

// A share with its 95% Wilson interval: "72% (65–78%)".
export function pctCI(share) {
  return `${pct(share.value)} (${bare(share.ciLow)}–${pct(share.ciHigh)})`;
}

// "8 of 20 probes"
export function ofProbes(share) {
  return `${share.count} of ${share.total} probes`;
}

export function int(n) {
  return Number(n).toLocaleString('en-US');
}

export function number(n, digits = 1) {
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function gapMs(ms) {
  if (ms === null || ms === undefined) return 'n/a';
  const sign = ms > 0 ? '+' : ms < 0 ? '−' : '';
  return `${sign}${number(Math.abs(ms))} ms`;
}

const day = utcFormat('%-d %b %Y');
const dayShort = utcFormat('%-d %b');
const monthFmt = utcFormat('%B %Y');
const dateTime = utcFormat('%Y-%m-%d %H:%M UTC');

export const date = (iso) => (iso ? day(new Date(iso)) : '—');
export const dateTimeUtc = (iso) => (iso ? dateTime(new Date(iso)) : '—');

// The window a group covers, e.g. "23–29 Nov 2026" for a week.
export function windowLabel(kind, startIso, endIso) {
  if (!startIso) return '';
  const start = new Date(startIso);
  const last = new Date(new Date(endIso).getTime() - 1);
  if (kind === 'month') return monthFmt(start);
  if (kind === 'week') return `${dayShort(start)} – ${day(last)} (ISO week)`;
  return day(start);
}

// A short label for a chart tick or a series point.
export function windowShort(kind, startIso) {
  const start = new Date(startIso);
  if (kind === 'month') return utcFormat('%b %Y')(start);
  return dayShort(start);
}
