#!/usr/bin/env python3
"""Every Capability and RootCause of proto/results.proto has a human name
and a description in dashboard/src/vocabulary.js, and nothing else is
there: a value added to the proto without a dashboard name fails here
(no browser needed). The dashboard shows the names and descriptions from
its message catalogues (vocab.<code>.name / .text): the English ones must
say exactly what vocabulary.js says, so the two cannot drift apart.

    vocabulary_test.py RESULTS_PROTO VOCABULARY_JS DASHBOARD_EN_JSON
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vocabulary  # noqa: E402

# The methodology 2 labels (V2 spec): the test fails loudly if the parsers
# lose them, not only if the tables disagree.
V2_LABELS = {"V4_BROKEN", "V6_UNREACHABLE", "V6_BLACKHOLE", "NAT64_BROKEN",
             "V4_PATH_BROKEN"}


def js_string(literal):
    """The text of a single-quoted JS literal's body (\\uXXXX, \\')."""
    literal = re.sub(r"\\u([0-9a-fA-F]{4})",
                     lambda m: chr(int(m.group(1), 16)), literal)
    return literal.replace("\\'", "'")


def main(proto_path, js_path, catalogue_path):
    with open(proto_path, encoding="utf-8") as f:
        enums = vocabulary.proto_enums(f.read())
    with open(js_path, encoding="utf-8") as f:
        js = f.read()
    tables, loose = vocabulary.dashboard_vocabulary(js)
    failures = []

    def check(ok, what):
        print(f"{'ok' if ok else 'FAIL'}: {what}")
        if not ok:
            failures.append(what)

    for enum, table in vocabulary.TABLES.items():
        values = enums.get(enum, {})
        entries = tables.get(table, {})
        check(len(values) >= 9, f"results.proto: enum {enum} has "
              f"{len(values)} values (parsed)")
        check(len(entries) == loose.get(table, -1),
              f"vocabulary.js: every entry of {table} is in the expected "
              f"shape ({len(entries)} of {loose.get(table)})")
        for code in values:
            name, text = entries.get(code, ("", ""))
            check(bool(name) and bool(text),
                  f"{enum} {code} has a dashboard name and description "
                  f"({name!r})")
        stale = sorted(set(entries) - set(values))
        check(not stale, f"{table} names no value missing from {enum}: "
              f"{stale}")
        shown = [n for n, _ in entries.values()]
        check(len(set(shown)) == len(shown), f"{table}: names are distinct")
    with open(catalogue_path, encoding="utf-8") as f:
        catalogue = json.load(f)
    for table in vocabulary.TABLES.values():
        for code, (name, text) in tables.get(table, {}).items():
            key = f"vocab.{code.lower()}"
            check(catalogue.get(f"{key}.name") == js_string(name)
                  and catalogue.get(f"{key}.text") == js_string(text),
                  f"{key}.name/.text in the English catalogue say what "
                  f"vocabulary.js says for {code}")
    every = {c for v in enums.values() for c in v}
    check(V2_LABELS <= every,
          f"results.proto has the methodology 2 labels {sorted(V2_LABELS)}")
    # BROKEN_V6_PATH is methodology 1's label that V6_UNREACHABLE and
    # V6_BLACKHOLE replace: the dashboard says so.
    m = re.search(r"^  BROKEN_V6_PATH: \{\n(.*?)^  \},", js,
                  re.MULTILINE | re.DOTALL)
    block = m.group(1) if m else ""
    check("only: '1'" in block
          and "replacedBy: ['V6_UNREACHABLE', 'V6_BLACKHOLE']" in block,
          "BROKEN_V6_PATH is marked methodology 1 only, replaced by "
          "V6_UNREACHABLE and V6_BLACKHOLE")
    for code in sorted(V2_LABELS):
        m = re.search(r"^  " + code + r": \{\n(.*?)^  \},", js,
                      re.MULTILINE | re.DOTALL)
        check(bool(m) and "since: '2'" in m.group(1),
              f"{code} is marked as added by methodology 2")
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
