// Short messages shared by the pages.
import { h } from '../dom.js';
import { dateTimeUtc, int } from '../format.js';

export function insufficientNote(minProbes) {
  return h('p', { class: 'insufficient-note' },
    h('strong', {}, 'Insufficient data: '),
    `fewer than ${minProbes || 'k'} distinct probes ran in this window, so no share is published `,
    '(a group needs at least k probes: aggregates never identify a host).');
}

export function errorBox(err) {
  return h('div', { class: 'error', role: 'alert' },
    h('h1', {}, 'Could not load the data'),
    h('p', {}, err && err.message ? err.message : String(err)),
    h('p', {}, 'The collector answered with an error or is unreachable; try again later.'));
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

// A view without any group: say so, with the newest stored run when the
// collector tells it (AggregatesResponse.latest_run_at), so a reader can
// move the window there.
export function noData(meta) {
  const latest = meta && meta.latestRunAt;
  return h('p', { class: 'empty', 'data-no-data': 'true', 'data-latest-run-at': latest || null },
    'No data in this window',
    latest ? ` (latest: ${dateTimeUtc(latest)})` : '', '.');
}

// The mark on sample data: `synthetic` probes of `total` in the view
// (GroupAggregate.synthetic_probes, ProbeSummary.synthetic). Nothing when
// none is synthetic.
export function syntheticBadge(synthetic, total) {
  if (!(synthetic > 0)) return null;
  return h('p', { class: 'synthetic-badge', role: 'note', 'data-synthetic': synthetic },
    h('strong', {}, 'synthetic sample data'),
    total ? ` · ${int(synthetic)} of ${int(total)} probes here are invented sample data, not measurements`
      : ' · this probe is invented sample data, not a measurement');
}

// Synthetic probes of a view: the largest count any of its answers sums
// to (each counts every probe once), with that answer's probes.
export function syntheticOf(...results) {
  let best = { synthetic: 0, probes: 0 };
  for (const r of results) {
    const synthetic = r.groups.reduce((n, g) => n + g.syntheticProbes, 0);
    if (synthetic > best.synthetic) {
      best = { synthetic, probes: r.groups.reduce((n, g) => n + g.probes, 0) };
    }
  }
  return best;
}
