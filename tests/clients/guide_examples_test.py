#!/usr/bin/python3
"""The Python examples of the docs, run as written against a real
collector (port 0) whose store holds a synthetic fleet (seed-store), so
the guides cannot drift from the API.

Blocks marked <!-- example:NAME --> (a shell or Python fenced block) are
taken from each document and run in order in one directory laid out like
a source tree (proto/ present): shell with bash -e, Python with Debian's
/usr/bin/python3. In Python blocks the address lines `API = "..."` and
`COLLECTOR = "..."` are pointed at the test's collector; nothing else is
changed. Each example's own cross-check (pandas and gRPC against the JSON
API) must pass, and its output must show it compared something.

usage: guide_examples_test.py COLLECTOR SEED_STORE RESEARCHER_MD GRPC_MD PROTO...
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SUITE = "guide_examples"

# Per document, the examples it must have, and what each one's output
# must show (a pattern whose first group, when there is one, counts the
# figures compared: at least one).
EXPECTED = {
    "researcher.md": [
        ("pandas", r"(\d+) countries agree with /api/v1/aggregates"),
        ("grpc-stubs", None),
        ("grpc", r"(\d+) groups agree with /api/v1/aggregates"),
    ],
    "grpc.md": [
        ("reflection-stubs", None),
        ("generic", r"v6scope\.v1\.QueryService[\s\S]*\"key\": \"global\""),
    ],
}


def examples(text):
    """{name: (language, code)} of the fenced blocks marked
    <!-- example:NAME --> on the line before."""
    out, pending, lang, lines = {}, None, None, []
    for line in text.splitlines():
        m = re.fullmatch(r"<!-- example:([a-z0-9_-]+) -->", line.strip())
        if m and lang is None:
            pending = m.group(1)
            continue
        if line.startswith("```"):
            if lang is None:
                lang, lines = line[3:].strip(), []
            else:
                if pending:
                    out[pending] = (lang, "\n".join(lines) + "\n")
                lang, pending = None, None
            continue
        if lang is not None:
            lines.append(line)
        elif line.strip():
            pending = None  # The marker must be right before its block.
    return out


def point_at(code, collector):
    """The example's address lines, pointed at the test's collector."""
    code, n_api = re.subn(r'^API = "[^"]*"', f'API = "{collector.http}"', code,
                          flags=re.M)
    code, n_grpc = re.subn(r'^COLLECTOR = "[^"]*"', f'COLLECTOR = "{collector.grpc}"',
                           code, flags=re.M)
    uses_api = re.search(r"\bAPI\b", code) is not None
    uses_grpc = re.search(r"\bCOLLECTOR\b", code) is not None
    unpointed = (uses_api and not n_api) or (uses_grpc and not n_grpc)
    return code, unpointed


def run_example(doc, name, lang, code, collector, tree, env):
    what = f"{doc} example '{name}' ({lang})"
    if lang == "sh":
        cmd = ["/bin/bash", "-e", "-c", code]
    elif lang == "python":
        code, unpointed = point_at(code, collector)
        if unpointed:
            harness.fail(f"{what}: its address line (API = / COLLECTOR = ) was not found")
            return None
        # Not NAME.py: "pandas.py" would shadow the module it imports.
        path = os.path.join(tree, f"example_{name.replace('-', '_')}.py")
        with open(path, "w") as f:
            f.write(code)
        cmd = ["/usr/bin/python3", path]
    else:
        harness.fail(f"{what}: neither sh nor python")
        return None
    try:
        done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True,
                              timeout=120)
    except subprocess.TimeoutExpired:
        harness.fail(f"{what} runs as written: timed out")
        return None
    ok = harness.check(done.returncode == 0, f"{what} runs as written",
                       done.stdout + done.stderr)
    print(done.stdout[-1500:], end="")
    return done.stdout if ok else None


def check_output(doc, name, pattern, output):
    m = re.search(pattern, output)
    counted = m and (not m.groups() or int(m.group(1)) > 0)
    harness.check(bool(counted), f"{doc} example '{name}' compared real figures",
                  f"no match for {pattern!r}")


def seed(seed_store, data_dir):
    """Three days of a 60-probe synthetic fleet ending now: yesterday is a
    complete day window, as the examples ask for."""
    os.makedirs(data_dir, exist_ok=True)
    subprocess.run([seed_store, f"--sqlite={data_dir}/v6scope.db", "--probes=60",
                    "--days=3", "--runs_per_day=4"], check=True,
                   capture_output=True)


def main(collector_binary, seed_store, researcher_md, grpc_md, *protos):
    missing = harness.missing_tools()
    try:
        import pandas  # noqa: F401
    except ImportError:
        missing.append("python module pandas (python3-pandas)")
    if not os.path.isdir("/usr/share/grpc-proto"):
        missing.append("/usr/share/grpc-proto (grpc-proto)")
    if missing:
        harness.skip_test(SUITE, "not installed (tools/install-deps): " + ", ".join(missing))
    work = harness.work_dir("examples")
    tree = os.path.join(work, "tree")
    harness.copy_protos(protos, tree)
    seed(seed_store, os.path.join(work, "data"))
    env = {k: v for k, v in os.environ.items() if k != "V6SCOPE_KEY"}
    collector = harness.Collector(collector_binary, work)
    try:
        for path in (researcher_md, grpc_md):
            doc = os.path.basename(path)
            with open(path) as f:
                found = examples(f.read())
            for name, pattern in EXPECTED[doc]:
                if not harness.check(name in found, f"{doc} has the example '{name}'"):
                    continue
                output = run_example(doc, name, *found[name], collector, tree, env)
                if output is not None and pattern:
                    check_output(doc, name, pattern, output)
    finally:
        collector.stop()
    return harness.finish(SUITE)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
