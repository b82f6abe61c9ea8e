// Number and date formatting: shares as "72% (65–78%)", dates in UTC.
import { utcFormat } from 'd3-time-format';

// 0.7234 -> "72%"; below 10% one decimal ("2.5%"), never "-0%".
export function pct(v) {
  const x = v * 100;
  if (x !== 0 && Math.abs(x) < 9.95) {
    return `${Number(x.toFixed(1))}%`;
  }
  return `${Math.round(x)}%`;
}

const bare = (v) => pct(v).replace('%', '');

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
