#!/usr/bin/env python3
"""Makes the RIR-history fixture (collector/enrich/testdata/rir_history/)
from the real files in ../shared/data/rir: the records of a few countries
from two snapshot dates, so //collector/enrich:allocation_history_test runs
without the shared data set.

Kept, per file: the version line (record count rewritten), summary lines
(rewritten to the extract's counts), every record of COUNTRIES, and the
reserved/available IPv6 records that start where a kept IPv6 record of
either snapshot starts (they show returned space as the RIRs mark it).
Records are copied byte for byte, in file order.

Usage: make_rir_history.py [SHARED_DATA_DIR]   (default ../shared/data
beside the workspace); run from the workspace root.
"""
import os
import sys

COUNTRIES = {"KE", "MU", "RW", "SC", "BO", "TT", "HT"}
FILES = {
    "2019-09-12": ["delegated-afrinic-extended-latest",
                   "delegated-afrinic-latest",
                   "delegated-lacnic-extended-latest"],
    "2026-05-06": ["delegated-afrinic-extended-latest"],
}
OUT = "collector/enrich/testdata/rir_history"


def records(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\n")


def is_record(f):
    return len(f) >= 7 and f[1] != "*" and not f[0][:1].isdigit()


def kept_v6_starts(src):
    starts = set()
    for date, names in FILES.items():
        for name in names:
            for line in records(os.path.join(src, date, name)):
                f = line.split("|")
                if is_record(f) and f[1] in COUNTRIES and f[2] == "ipv6":
                    starts.add(f[3])
    return starts


def extract(path, starts):
    header, body = None, []
    for line in records(path):
        if line.startswith("#") or not line:
            continue
        f = line.split("|")
        if f[0][:1].isdigit():
            header = f
        elif is_record(f):
            undelegated = f[6] in ("reserved", "available")
            if f[1] in COUNTRIES or (undelegated and f[2] == "ipv6" and
                                     f[3] in starts):
                body.append(line)
    counts = {t: sum(1 for l in body if l.split("|")[2] == t)
              for t in ("asn", "ipv4", "ipv6")}
    header[3] = str(len(body))
    registry = header[1]
    out = ["|".join(header)]
    out += ["%s|*|%s|*|%d|summary" % (registry, t, counts[t])
            for t in ("asn", "ipv4", "ipv6")]
    return "\n".join(out + body) + "\n"


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
    src = os.path.join(src, "rir")
    starts = kept_v6_starts(src)
    for date, names in FILES.items():
        os.makedirs(os.path.join(OUT, date), exist_ok=True)
        for name in names:
            text = extract(os.path.join(src, date, name), starts)
            with open(os.path.join(OUT, date, name), "w",
                      encoding="utf-8") as f:
                f.write(text)


if __name__ == "__main__":
    main()
