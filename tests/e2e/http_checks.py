#!/usr/bin/env python3
"""Hostile-client checks of the collector's HTTP listener (issue #14
problems 1, 2, 8 and 10), over raw sockets so that nothing between the
test and the server tidies the requests. Prints one "ok: ..." or
"FAIL: ..." line per check; http_test.sh records them.

usage: http_checks.py PORT
"""
import re
import socket
import sys
import time

HOST = "127.0.0.1"
LARGE = 1500000


def connect(port, timeout=10.0):
    s = socket.create_connection((HOST, port), timeout=timeout)
    s.settimeout(timeout)
    return s


def exchange(port, data, timeout=10.0):
    """Sends `data` on a fresh connection, reads until the server closes."""
    s = connect(port, timeout)
    try:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


def get(path, headers=""):
    return ("GET %s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n"
            % (path, headers)).encode()


def status(response):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", response)
    return int(m.group(1)) if m else 0


def header(response, name):
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    for line in head.split("\r\n")[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == name.lower():
            return v.strip()
    return None


def body(response):
    return response.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in response else b""


FAILS = 0


def check(what, ok, detail=""):
    global FAILS
    if ok:
        print("ok: " + what)
    else:
        FAILS += 1
        print("FAIL: %s: %s" % (what, detail))
    sys.stdout.flush()


def idle_connections(port):
    idle = []
    try:
        for _ in range(500):
            idle.append(connect(port))
        start = time.monotonic()
        r = exchange(port, get("/healthz"), timeout=5)
        took = time.monotonic() - start
        check("500 idle connections: /healthz answers within 1 s",
              status(r) == 200 and body(r) == b"ok" and took < 1.0,
              "status %d after %.2f s" % (status(r), took))
    finally:
        for s in idle:
            s.close()


def ranges(port):
    r = exchange(port, get("/large", "Range: bytes=0-9223372036854775806\r\n"))
    check("Range with a huge end: 206 with the object's length only",
          status(r) == 206 and header(r, "Content-Length") == str(LARGE)
          and len(body(r)) == LARGE
          and header(r, "Content-Range") == "bytes 0-%d/%d" % (LARGE - 1, LARGE),
          "status %d, Content-Length %s, %d bytes" %
          (status(r), header(r, "Content-Length"), len(body(r))))
    many = "bytes=" + ",".join(["0-%d" % (LARGE - 1)] * 100)
    r = exchange(port, get("/large", "Range: %s\r\n" % many))
    check("100 ranges: one whole object (200), not 100",
          status(r) == 200 and len(body(r)) == LARGE,
          "status %d, %d bytes" % (status(r), len(body(r))))
    r = exchange(port, get("/large", "Range: bytes=1500000-\r\n"))
    check("a range starting past the end is 416 with bytes */SIZE",
          status(r) == 416 and header(r, "Content-Range") == "bytes */%d" % LARGE,
          r[:200])


def parsing(port):
    smuggled = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 38\r\n\r\n"
                b"GET /whoami HTTP/1.1\r\nHost: x\r\n\r\n\r\n")
    r = exchange(port, smuggled)
    check("a body on GET is refused, never parsed as the next request",
          status(r) == 400 and r.count(b"HTTP/1.1 ") == 1, r[:300])
    r = exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    check("Content-Length with Transfer-Encoding is 400", status(r) == 400,
          r[:200])
    r = exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                 b"Content-Length: 5\r\n\r\nhello")
    check("two different Content-Lengths are 400", status(r) == 400, r[:200])
    start = time.monotonic()
    r = exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                 b"GET /whoami HTTP/1.1\r\nHost: x\r\n\r\n"
                 b"GET /small HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                 timeout=5)
    took = time.monotonic() - start
    check("pipelined requests in one write are all answered, at once",
          r.count(b"HTTP/1.1 200 OK") == 3 and took < 2.0,
          "%d answers after %.2f s" % (r.count(b"HTTP/1.1 200 OK"), took))


def static_files(port):
    r = exchange(port, get("/leak"))
    check("a symlink out of the dashboard directory is 404", status(r) == 404,
          r[:200])
    r = exchange(port, get("/a.txt%00.html"))
    check("a.txt%00.html is refused (400/404), never served as text/html",
          status(r) in (400, 404) and b"plain text" not in r, r[:200])
    r = exchange(port, get("/a.txt"))
    check("a.txt itself is text/plain",
          status(r) == 200 and (header(r, "Content-Type") or "").startswith(
              "text/plain"), r[:200])
    r = exchange(port, get("/../secret"))
    check("a .. segment is refused", status(r) in (400, 404), r[:200])


def main():
    port = int(sys.argv[1])
    idle_connections(port)
    ranges(port)
    parsing(port)
    static_files(port)
    r = exchange(port, get("/readyz"))
    check("/readyz is 200 with a writable store and free disk",
          status(r) == 200, r[:200])
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
