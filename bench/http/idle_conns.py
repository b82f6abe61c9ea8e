#!/usr/bin/env python3
"""Opens N idle TCP connections to HOST:PORT and holds them.

The attack of issue #14, item 1: connections that are opened and then say
nothing (no request line). They come from several loopback source
addresses (127.0.0.2, 127.0.0.3, ...; Linux routes all of 127/8 to lo), at
most --per_source each, so that a per-client-address limit does not refuse
them and no source runs out of ephemeral ports.

Prints one line once every connection is established (or has failed):
    ready open=N failed=F sources=S ms=T
then holds them, watching each for the server closing it, until SIGTERM,
SIGINT or --hold_seconds, and prints:
    held open=N closed_by_server=K seconds=T
Bounded: connects happen in batches with a deadline (--connect_seconds);
holding ends after --hold_seconds. Exit status 0, or 3 on a setup error.
"""

import argparse
import errno
import ipaddress
import resource
import select
import signal
import socket
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, default=10000)
    p.add_argument("--per_source", type=int, default=1000)
    p.add_argument("--first_source", default="127.0.0.2")
    p.add_argument("--batch", type=int, default=200,
                   help="connects in flight at once (under the backlog)")
    p.add_argument("--connect_seconds", type=float, default=60)
    p.add_argument("--hold_seconds", type=float, default=900)
    a = p.parse_args()
    if not 1 <= a.count <= 100000 or not 1 <= a.per_source <= 20000:
        p.error("--count must be 1..100000 and --per_source 1..20000")
    return a


def raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            sys.exit(f"idle_conns: need {need} open files, hard limit {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))


def connect_batch(ep, host, port, sources, deadline):
    """Starts one non-blocking connect per source address in `sources`;
    returns (established sockets, failures) once all have finished."""
    pending = {}
    failed = 0
    for src in sources:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.bind((src, 0))
        rc = s.connect_ex((host, port))
        if rc not in (0, errno.EINPROGRESS):
            s.close()
            failed += 1
            continue
        pending[s.fileno()] = s
        ep.register(s.fileno(), select.EPOLLOUT)
    done = []
    while pending and time.monotonic() < deadline:
        for fd, _ in ep.poll(0.5):
            s = pending.pop(fd)
            ep.unregister(fd)
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                done.append(s)
            else:
                s.close()
                failed += 1
    for s in pending.values():  # not connected by the deadline
        ep.unregister(s.fileno())
        s.close()
        failed += 1
    return done, failed


def hold(ep, socks, until, stop):
    """Waits for the server to close connections; returns how many did."""
    by_fd = {s.fileno(): s for s in socks}
    for fd in by_fd:
        ep.register(fd, select.EPOLLIN | select.EPOLLRDHUP)
    closed = 0
    while not stop["now"] and time.monotonic() < until:
        for fd, _ in ep.poll(1.0):
            # Any byte or an EOF: the server gave up on the connection (a
            # timeout, a limit, a 408); either way it is no longer held.
            ep.unregister(fd)
            by_fd.pop(fd).close()
            closed += 1
    return closed


def main():
    a = parse_args()
    raise_fd_limit(a.count + 64)
    first = ipaddress.IPv4Address(a.first_source)
    sources = [str(first + i // a.per_source) for i in range(a.count)]
    stop = {"now": False}

    def on_signal(*_):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    ep = select.epoll()
    t0 = time.monotonic()
    deadline = t0 + a.connect_seconds
    socks, failed = [], 0
    for i in range(0, a.count, a.batch):
        if stop["now"]:
            break
        done, f = connect_batch(ep, a.host, a.port, sources[i:i + a.batch],
                                deadline)
        socks += done
        failed += f
    print(f"ready open={len(socks)} failed={failed} "
          f"sources={len(set(sources))} "
          f"ms={int((time.monotonic() - t0) * 1000)}", flush=True)
    t1 = time.monotonic()
    closed = hold(ep, socks, t1 + a.hold_seconds, stop)
    print(f"held open={len(socks) - closed} closed_by_server={closed} "
          f"seconds={int(time.monotonic() - t1)}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        print(f"idle_conns: {e}", file=sys.stderr)
        sys.exit(3)
