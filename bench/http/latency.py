#!/usr/bin/env python3
"""Times N sequential GETs of one URL path, one request at a time.

Each request's time runs from before the TCP connect to the last byte of
the body: by default every request opens a new connection (as a health
checker or a first visit does, so the listener's accept path is measured
too, the path that idle connections starved in issue #14); --keepalive
reuses one connection instead. Every response must be 200 (and, with
--expect_bytes, that long); any other answer, a timeout or a reset counts
as a failure.

Prints one line:
    RESULT ok=N failed=F p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. mean_ms=..
and writes each request's time in ms to --out (one per line). Bounded:
--timeout per request and --max_seconds for the whole run (requests not
made by then count as failed). Exit status 0 when every request was OK,
1 otherwise.
"""

import argparse
import http.client
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--path", required=True)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--keepalive", action="store_true")
    p.add_argument("--expect_bytes", type=int, default=-1)
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--max_seconds", type=float, default=300)
    p.add_argument("--out", default="")
    a = p.parse_args()
    if not 1 <= a.count <= 1000000:
        p.error("--count must be 1..1000000")
    return a


def percentile(sorted_ms, p):
    """Nearest rank, as the other bench scripts compute it."""
    rank = max(1, min(len(sorted_ms), -(-len(sorted_ms) * p // 100)))
    return sorted_ms[int(rank) - 1]


def one_request(a, conn):
    """Returns (ms, error or None, connection to reuse or None)."""
    t0 = time.perf_counter()
    try:
        if conn is None:
            conn = http.client.HTTPConnection(a.host, a.port, timeout=a.timeout)
        headers = {} if a.keepalive else {"Connection": "close"}
        conn.request("GET", a.path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        ms = (time.perf_counter() - t0) * 1000
        if r.status != 200:
            return ms, f"status {r.status}", None
        if a.expect_bytes >= 0 and len(body) != a.expect_bytes:
            return ms, f"{len(body)} bytes, want {a.expect_bytes}", None
        if not a.keepalive or r.will_close:
            conn.close()
            conn = None
        return ms, None, conn
    except (OSError, http.client.HTTPException) as e:
        if conn is not None:
            conn.close()
        return (time.perf_counter() - t0) * 1000, repr(e), None


def main():
    a = parse_args()
    deadline = time.monotonic() + a.max_seconds
    times, errors, conn = [], {}, None
    for i in range(a.count):
        if time.monotonic() > deadline:
            errors["not made: out of time (--max_seconds)"] = a.count - i
            break
        ms, err, conn = one_request(a, conn)
        if err is None:
            times.append(ms)
        else:
            errors[err] = errors.get(err, 0) + 1
    if conn is not None:
        conn.close()
    if a.out:
        with open(a.out, "w") as f:
            f.writelines(f"{ms:.3f}\n" for ms in times)
    failed = sum(errors.values())
    for err, n in sorted(errors.items(), key=lambda kv: -kv[1])[:5]:
        print(f"  failed x{n}: {err}", file=sys.stderr)
    s = sorted(times) or [0.0]
    mean = sum(times) / len(times) if times else 0.0
    print(f"RESULT ok={len(times)} failed={failed} "
          f"p50_ms={percentile(s, 50):.2f} p90_ms={percentile(s, 90):.2f} "
          f"p99_ms={percentile(s, 99):.2f} max_ms={s[-1]:.2f} "
          f"mean_ms={mean:.2f}", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
