// The verdict's vocabulary in words: a human name and one short
// description for every Capability and RootCause of proto/results.proto
// (docs/methodology.md has the decision tables). The API sends the enum
// names ("V6_BLACKHOLE"); pages show these instead.
//
// `since: '2'` marks labels methodology 2 added; `only: '1'` marks the
// methodology 1 label that methodology 2 never sets, `replacedBy` its
// successors. tests/dashboard/vocabulary_test fails when an enum value of
// results.proto has no entry here, so keep one entry per value, each in
// this exact shape (the test reads the file with a regular expression).

import { t } from './i18n.js';

export const CAPABILITIES = {
  CAPABILITY_UNSPECIFIED: {
    name: 'No verdict',
    text: 'No HTTP test ran, so the run has no capability class.',
  },
  V6_PREFERRED: {
    name: 'IPv6 preferred',
    text: 'The dual-stack name was fetched over IPv6: IPv6 works and is used first.',
  },
  V6_CAPABLE: {
    name: 'IPv6 capable',
    text: 'The IPv6-only name was fetched over IPv6, but the dual-stack name went over IPv4.',
  },
  V6_ONLY: {
    name: 'IPv6 only',
    text: 'IPv6 works; IPv4 is not configured or not working, and no NAT64 reaches IPv4.',
  },
  V6_ONLY_NAT64: {
    name: 'IPv6 only with NAT64',
    text: 'An IPv6-only network that reaches IPv4-only sites through DNS64 and NAT64.',
  },
  V6_BROKEN: {
    name: 'IPv6 broken',
    text: 'IPv6 is configured on the host, but IPv6 fetches fail.',
  },
  V4_ONLY: {
    name: 'IPv4 only',
    text: 'No IPv6 is configured on the host; IPv4 works.',
  },
  OFFLINE: {
    name: 'Offline',
    text: 'Neither IPv4 nor IPv6 fetches worked; such probes are left out of the shares.',
  },
  V4_BROKEN: {
    name: 'IPv4 broken',
    text: 'IPv4 is configured (an address and a default route), but IPv4 fetches fail while IPv6 works.',
    since: '2',
  },
};

export const CAUSES = {
  ROOT_CAUSE_UNSPECIFIED: {
    name: 'Unspecified cause',
    text: 'No cause named (never sent by a probe).',
  },
  PMTU_BLACKHOLE: {
    name: 'Path-MTU black hole',
    text: 'Small IPv6 fetches work but a large one stalls: large packets are lost and the \u201cpacket too big\u201d messages do not get back.',
  },
  BROKEN_V6_PATH: {
    name: 'IPv6 path broken',
    text: 'Methodology 1: IPv6 address and route, but IPv6 packets go nowhere. Methodology 2 never sets it and tells IPv6 unreachable from IPv6 black hole instead.',
    only: '1',
    replacedBy: ['V6_UNREACHABLE', 'V6_BLACKHOLE'],
  },
  AAAA_FILTERED: {
    name: 'AAAA records filtered',
    text: 'The resolver withholds the IPv6 addresses (AAAA) of a dual-stack name, so applications never try IPv6.',
  },
  RESOLVER_NO_V6: {
    name: 'Resolver without IPv6',
    text: 'The resolver cannot reach a name server that has only IPv6 addresses.',
  },
  TUNNEL_6TO4: {
    name: '6to4 tunnel',
    text: 'IPv6 only through a 6to4 address (2002::/16), relayed over IPv4.',
  },
  TUNNEL_TEREDO: {
    name: 'Teredo tunnel',
    text: 'IPv6 only through a Teredo address (2001::/32), tunnelled over IPv4 UDP.',
  },
  ULA_ONLY: {
    name: 'Unique-local IPv6 only',
    text: 'The host\u2019s only IPv6 addresses are unique-local (fc00::/7), which do not reach the internet.',
  },
  NAT64: {
    name: 'NAT64',
    text: 'The resolver announces a NAT64 prefix (RFC 7050) and IPv4-only sites are reached through it.',
  },
  SLOW_V6: {
    name: 'Slow IPv6',
    text: 'IPv6 connections take much longer to set up than IPv4 ones.',
  },
  V4_V6_ASN_MISMATCH: {
    name: 'IPv4 and IPv6 in different networks',
    text: 'The public IPv4 and IPv6 addresses belong to different networks (ASes), as with a tunnel or a separate IPv6 provider.',
  },
  BEHIND_CGNAT: {
    name: 'Carrier-grade NAT',
    text: 'The host\u2019s IPv4 address is in the shared space 100.64.0.0/10 (RFC 6598).',
  },
  NO_V6_DEFAULT_ROUTE: {
    name: 'No IPv6 default route',
    text: 'The host has a global IPv6 address but no IPv6 default route.',
  },
  V6_UNREACHABLE: {
    name: 'IPv6 unreachable',
    text: 'IPv6 is configured, but the path answers with ICMPv6 errors (no route, unreachable, administratively prohibited): a missing route or a rejecting filter.',
    since: '2',
  },
  V6_BLACKHOLE: {
    name: 'IPv6 black hole',
    text: 'IPv6 is configured, but IPv6 packets vanish without an answer: a dropping filter or a dead next hop.',
    since: '2',
  },
  NAT64_BROKEN: {
    name: 'NAT64 broken',
    text: 'DNS64 synthesizes IPv6 addresses for IPv4-only names, but fetches through the NAT64 prefix fail.',
    since: '2',
  },
  V4_PATH_BROKEN: {
    name: 'IPv4 path broken',
    text: 'The host has an IPv4 address and default route, but IPv4 packets go nowhere while IPv6 works.',
    since: '2',
  },
};

// What the pages show for a label the API sent: a known capability or
// cause, or (a newer collector's label) its code in lower case.
// Names and meanings are in the reader's language: the messages
// vocab.<code>.name and vocab.<code>.text (the code in lower case) (the English ones equal the
// entries above; tests/dashboard/vocabulary_test checks it).
export function describe(code) {
  const known = CAPABILITIES[code] || CAUSES[code];
  if (known) {
    const key = `vocab.${code.toLowerCase()}`;
    return { ...known, code, name: t(`${key}.name`), text: t(`${key}.text`) };
  }
  return { code, name: String(code).toLowerCase().replaceAll('_', ' '), text: '' };
}

// "methodology 2 label", "methodology 1 only", or ''.
export function versionNote(entry) {
  if (entry.only) return t('dash.vocab.only', { version: entry.only });
  if (entry.since) return t('dash.vocab.since', { version: entry.since });
  return '';
}
