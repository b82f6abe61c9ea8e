// "#/methodology": how the numbers are made, in short, with the live
// threshold and versions, and links to the full documents.
import { aggregates, currentMeta } from '../api.js';
import { add, h } from '../dom.js';
import { glossary } from '../components/glossary.js';

async function docLinks() {
  try {
    const r = await fetch('docs/index.json');
    return r.ok ? await r.json() : [];
  } catch {
    return [];
  }
}

export async function render(view) {
  const [meta, docs] = await Promise.all([
    currentMeta() || aggregates({ group_by: 'global' }).then((r) => r.meta),
    docLinks(),
  ]);
  const k = meta.minProbes;
  add(view,
    h('h1', {}, 'Methodology'),
    h('p', { class: 'lead' },
      'Methodology version ', h('strong', {}, meta.methodologyVersion || 'unknown'),
      `; groups are published with at least k = ${k} distinct probes.`),
    h('section', { class: 'prose', 'aria-labelledby': 'm-probe' },
      h('h2', { id: 'm-probe' }, 'What a probe measures'),
      h('p', {}, 'Each probe periodically runs a fixed suite: DNS lookups (A, AAAA, a name served only by an IPv6-only name server, ',
        'the NAT64 discovery name) and HTTP fetches from an IPv4-only, an IPv6-only and a dual-stack name, an IPv6 literal, ',
        'a large object over IPv6, who-am-I pages and (methodology 2) the IPv4-only name over IPv6 alone, which tests the NAT64 path. ',
        'The run ends in a verdict: a capability class and root causes (the labels below) and, from methodology 2, ',
        'one sentence per label saying what was seen; a probe’s page shows them for its newest run.'),
      h('ul', {},
        h('li', {}, h('strong', {}, 'IPv6 capable'), ': the IPv6-only name was fetched over IPv6 (APNIC\u2019s \u201ccapable\u201d; classes V6_PREFERRED, V6_CAPABLE, V6_ONLY, V6_ONLY_NAT64 and, from methodology 2, V4_BROKEN).'),
        h('li', {}, h('strong', {}, 'IPv6 preferred'), ': the dual-stack name was fetched over IPv6 (APNIC\u2019s \u201cpreferred\u201d; V4_BROKEN is not counted as preferred: its use of IPv6 is forced by a fault, not chosen).'),
        h('li', {}, h('strong', {}, 'IPv6 broken'), ': IPv6 is configured on the host but the IPv6-only name could not be fetched over it.'),
        h('li', {}, h('strong', {}, 'IPv4 broken'), ': IPv4 is configured on the host (address and default route) but fails while IPv6 works (class V4_BROKEN, methodology 2; shown when the collector reports it).'),
        h('li', {}, h('strong', {}, 'PMTU broken'), ': small IPv6 fetches work, the large one stalls (path-MTU black hole).'),
        h('li', {}, h('strong', {}, 'Behind NAT64'), ': the resolver synthesises a NAT64 prefix (RFC 7050).'),
        h('li', {}, h('strong', {}, 'Resolver reaches IPv6'), ': the resolver resolved a name whose only name server is IPv6-only.'))),
    h('section', { class: 'prose', 'aria-labelledby': 'm-agg' },
      h('h2', { id: 'm-agg' }, 'How aggregates are made'),
      h('ul', {},
        h('li', {}, h('strong', {}, 'One vote per probe per window. '),
          'A probe counts once in a UTC day, ISO week (from Monday 00:00 UTC) or UTC month, with the verdict of its latest run in that window, ',
          'and in the network (origin AS) and country of that run. A busy probe cannot outweigh a quiet one.'),
        h('li', {}, h('strong', {}, `At least k = ${k} distinct probes. `),
          'A group with fewer probes is shown as \u201cinsufficient data\u201d (hatched on the map), never as a number: aggregates must not identify a host.'),
        h('li', {}, h('strong', {}, 'Denominator: measured probes. '),
          'Shares are of the probes whose verdict is not OFFLINE (nor unknown): a probe without any connectivity says nothing about IPv6. ',
          'The resolver share is of the probes that ran the IPv6-only name-server test.'),
        h('li', {}, h('strong', {}, '95% Wilson score intervals. '),
          'Every share is shown with its interval, e.g. \u201c72% (65\u201378%)\u201d; with few probes the interval is wide, and it stays inside 0\u2013100%.'),
        h('li', {}, h('strong', {}, 'Median handshake gap. '),
          'The median over probes of the IPv6 minus IPv4 TCP handshake time, from probes with a comparable pair.'),
        h('li', {}, h('strong', {}, 'Allocation context. '),
          'Per country, the IPv6 delegations (allocated and assigned) in the RIR statistics files the collector loaded: count, total in /32 equivalents, first and latest date. ',
          'Space allocated but not measured as capable shows where deployment lags.'))),
    h('section', { class: 'prose', 'aria-labelledby': 'm-limits' },
      h('h2', { id: 'm-limits' }, 'Read with care'),
      h('ul', {},
        h('li', {}, 'Shares are of probes, not of people: volunteers place probes, often in technically minded networks.'),
        h('li', {}, 'Figures agree with APNIC Labs\u2019 in direction, not in level (APNIC counts ad impressions).'),
        h('li', {}, 'A stored verdict is never recomputed: a window may count some probes with a methodology 1 verdict and others with a methodology 2 one. ',
          'A note under the figures then says how many of each; the API’s methodology parameter counts one version only. ',
          'Methodology 1’s “IPv6 path broken” is split in methodology 2 into “IPv6 unreachable” and “IPv6 black hole”: compare those with care across versions.'))),
    h('section', { class: 'prose', 'aria-labelledby': 'm-labels' },
      h('h2', { id: 'm-labels' }, 'What the labels mean'),
      glossary()),
    h('section', { class: 'prose', 'aria-labelledby': 'm-docs' },
      h('h2', { id: 'm-docs' }, 'Full documents'),
      docs.length
        ? h('ul', {}, docs.map((d) => h('li', {}, h('a', { href: `docs/${d.file}` }, d.title),
          ` (docs/${d.source} in the v6scope repository)`)))
        : h('p', {}, 'See docs/methodology.md in the v6scope repository.')));
  return 'Methodology';
}
