#!/usr/bin/env python3
"""Opens N idle TCP connections to HOST:PORT and holds them.

The attack of issue #14, item 1: connections that are opened and then say
nothing (no request line). They come from several loopback source
addresses (127.0.0.2, 127.0.0.3, ...; Linux routes all of 127/8 to lo), at
most --per_source each, so that a per-client-address limit does not refuse
them and no source runs out of ephemeral ports. With --keepalive_share,
that share of them first sends one GET (--path, HTTP/1.1, keep-alive) and
reads its answer, then falls silent: an idle keep-alive connection, as a
browser leaves behind.

Prints one line once every connection is established (or has failed):
    ready open=N failed=F sources=S keepalive=K answered=A ms=T
then holds them, watching each for the server closing it, until SIGTERM,
SIGINT or --hold_seconds, and prints:
    held open=N closed_by_server=K answered=A seconds=T
(K: connections that sent a request; A: of those, answered with 200).
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
    p.add_argument("--keepalive_share", type=float, default=0.0)
    p.add_argument("--path", default="/healthz")
    a = p.parse_args()
    if not 1 <= a.count <= 100000 or not 1 <= a.per_source <= 20000:
        p.error("--count must be 1..100000 and --per_source 1..20000")
    if not 0 <= a.keepalive_share <= 1:
        p.error("--keepalive_share must be 0..1")
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


class Held:
    """The established connections, watched for answers and closes."""

    def __init__(self, ep, socks, asked):
        self.ep, self.asked = ep, asked
        self.by_fd = {s.fileno(): s for s in socks}
        self.answered, self.closed = set(), 0
        for fd in self.by_fd:
            ep.register(fd, select.EPOLLIN | select.EPOLLRDHUP)

    def watch(self, until, stop, until_answered=False):
        """Handles events until `until`, a signal or (with until_answered)
        every request answered."""
        while not stop["now"] and time.monotonic() < until:
            if until_answered and len(self.answered) == len(self.asked):
                return
            for fd, events in self.ep.poll(0.5):
                self.on_event(fd, events)

    def on_event(self, fd, events):
        data = b""
        if not events & (select.EPOLLRDHUP | select.EPOLLHUP):
            try:
                data = self.by_fd[fd].recv(65536)
            except OSError:
                data = b""
        if data:
            # The answer to a request (its first bytes say 200), or more
            # of it; a server that gives up on a connection closes it.
            if fd in self.asked and fd not in self.answered and \
                    data.startswith(b"HTTP/1.1 200"):
                self.answered.add(fd)
            return
        # An EOF or a reset: the connection is no longer held.
        self.ep.unregister(fd)
        self.by_fd.pop(fd).close()
        self.closed += 1


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
    asked = set()
    request = (f"GET {a.path} HTTP/1.1\r\nHost: {a.host}:{a.port}\r\n\r\n"
               ).encode()
    for s in socks[:int(len(socks) * a.keepalive_share)]:
        s.send(request)  # A few dozen bytes: never blocks on a new socket.
        asked.add(s.fileno())
    held = Held(ep, socks, asked)
    # Answers first, so that the measurements start on idle connections.
    held.watch(deadline, stop, until_answered=True)
    print(f"ready open={len(socks)} failed={failed} "
          f"sources={len(set(sources))} keepalive={len(asked)} "
          f"answered={len(held.answered)} "
          f"ms={int((time.monotonic() - t0) * 1000)}", flush=True)
    t1 = time.monotonic()
    held.watch(t1 + a.hold_seconds, stop)
    print(f"held open={len(socks) - held.closed} closed_by_server="
          f"{held.closed} answered={len(held.answered)} "
          f"seconds={int(time.monotonic() - t1)}", flush=True)

if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        print(f"idle_conns: {e}", file=sys.stderr)
        sys.exit(3)
