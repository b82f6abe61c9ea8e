#!/usr/bin/env python3
"""The readiness bed's address plan (emit.py): every address valid and
distinct, the root where bed.sh and every bed so far expect it, and room
for the 500+ TLDs of a 50,000-domain bed made from the real lists
(bench/sweep), which overflowed 11.53.0.x before. Stdlib only:
`python3 tests/readiness/emit_test.py` (tools/test runs it)."""
import ipaddress
import os
import string
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import emit  # noqa: E402


def many_tlds(n):
    """n distinct alphabetic TLD labels (aa, ab, ...)."""
    letters = string.ascii_lowercase
    return [letters[i // 26 % 26] + letters[i % 26] + "x" * (i // 676) for i in range(n)]


class InfraAddrsTest(unittest.TestCase):
    def test_first_addresses_are_unchanged(self):
        # a.root-servers.net: bed.sh waits for 11.53.0.1 and pings it.
        self.assertEqual(emit.infra_addrs(1), ("11.53.0.1", "2d00:53::1"))
        self.assertEqual(emit.infra_addrs(255), ("11.53.0.255", "2d00:53::ff"))

    def test_beyond_255_is_valid_and_distinct(self):
        seen = set()
        for n in range(1, 5000):
            v4, v6 = emit.infra_addrs(n)
            ipaddress.IPv4Address(v4)
            ipaddress.IPv6Address(v6)
            self.assertNotIn(v4, seen)
            self.assertNotIn(v6, seen)
            seen |= {v4, v6}
            self.assertIn(ipaddress.IPv4Address(v4), ipaddress.IPv4Network("11.53.0.0/16"))
            self.assertIn(ipaddress.IPv6Address(v6), ipaddress.IPv6Network("2d00:53::/32"))

    def test_overflow_is_an_error_not_a_bad_address(self):
        with self.assertRaises(ValueError):
            emit.infra_addrs(255 + (256 - emit.INFRA_OVERFLOW_V4) * emit.POOL_PER_24 + 1)


class PoolsTest(unittest.TestCase):
    def test_name_servers_stop_below_the_infrastructure_overflow(self):
        pools = emit.Pools()
        last = None
        with self.assertRaises(ValueError):
            for _ in range(100000):
                last = pools.take("good")
        self.assertLess(int(last[0].split(".")[2]), emit.INFRA_OVERFLOW_V4)
        ipaddress.IPv6Address(last[1])


class BedInfraTest(unittest.TestCase):
    def test_600_tlds_get_valid_distinct_addresses(self):
        tlds = many_tlds(600)
        model = {"domains": [{"name": "d." + t} for t in tlds], "providers": {}}
        bed = emit.Bed(model)
        bed.infra()
        addrs = bed.infra_addrs
        self.assertEqual(len(addrs), 2 * (len(set(tlds) | {"net"}) + 1))
        self.assertEqual(len(set(addrs)), len(addrs))
        for a in addrs:
            ipaddress.ip_address(a)
        self.assertEqual(bed.root, ("11.53.0.1", "2d00:53::1"))
        # Every name-server address the pool can hand out is outside them.
        pools = emit.Pools()
        hosts = set()
        try:
            while True:
                hosts |= set(pools.take("good"))
        except ValueError:
            pass
        self.assertFalse(hosts & set(addrs))


if __name__ == "__main__":
    unittest.main()
