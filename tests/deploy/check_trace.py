#!/usr/bin/env python3
"""Checks an strace log of a v6scope daemon against its systemd unit.

What the unit's sandbox would refuse, the real process must not need:
  - every system call is in the unit's SystemCallFilter= (expanded with
    `systemd-analyze syscall-filter`);
  - every socket family is in RestrictAddressFamilies=;
  - with ProcSubset=pid, nothing under /proc but process directories is
    opened, except files whose absence the libraries handle (--proc-ok);
  - with ProtectSystem=strict, nothing is written outside the directories
    the unit makes writable (--writable: the test's stand-ins for
    StateDirectory=, plus /tmp for PrivateTmp=).

usage: check_trace.py --unit=FILE --trace=FILE --writable=DIR[,DIR]
                      [--stand_in_root=DIR] [--proc-ok=PATH[,PATH]]
--stand_in_root: the test's scratch directory (which may sit in /tmp);
writes under it count only inside a --writable directory.
Prints one "ok: ..." or "FAIL: ..." line per check; exits 1 on a failure.
"""
import argparse
import re
import subprocess
import sys

# strace -f -y: "PID name(args) = ret", with "<path>" after fd arguments.
CALL_RE = re.compile(r"^(?:\[pid\s+)?\d+\]?\s+([a-z0-9_]+)\((.*)$")
RESUMED_RE = re.compile(r"^\d+\s+<\.\.\. ([a-z0-9_]+) resumed>")
WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND")
PATH_CALLS = {"mkdir", "mkdirat", "unlink", "unlinkat", "rename", "renameat",
              "renameat2", "rmdir", "symlink", "symlinkat", "link", "linkat",
              "chmod", "fchmodat", "truncate", "mknod", "mknodat"}


def unit_values(path, key):
    values = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith(key + "="):
                values.append(line[len(key) + 1:])
    return values


def expand(group, seen=None):
    """Syscall names of a @group (recursively) or a plain name."""
    if not group.startswith("@"):
        return {group}
    seen = seen if seen is not None else set()
    if group in seen:
        return set()
    seen.add(group)
    out = subprocess.run(["systemd-analyze", "syscall-filter", group],
                         capture_output=True, text=True, check=True).stdout
    names = set()
    for line in out.splitlines()[1:]:
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        names |= expand(word.split()[0], seen)
    return names


def allowed_syscalls(unit):
    """The effective allow list of a unit's SystemCallFilter= lines."""
    allowed = None
    for value in unit_values(unit, "SystemCallFilter"):
        deny = value.startswith("~")
        names = set()
        for item in value.lstrip("~").split():
            names |= expand(item)
        if allowed is None:
            allowed = set() if deny else names
            if deny:
                raise SystemExit("a deny-list first is not supported here")
        elif deny:
            allowed -= names
        else:
            allowed |= names
    return allowed


def parse(trace):
    syscalls, families, opens, writes = set(), set(), set(), set()
    with open(trace, errors="replace") as f:
        for line in f:
            m = RESUMED_RE.match(line)
            if m:
                syscalls.add(m.group(1))
                continue
            m = CALL_RE.match(line)
            if not m:
                continue
            name, args = m.group(1), m.group(2)
            syscalls.add(name)
            if name == "socket":
                families.add(args.split(",")[0].strip())
            if name in ("open", "openat", "openat2", "creat"):
                path = resolve_path(name, args)
                if path:
                    opens.add(path)
                    if name == "creat" or any(fl in args for fl in WRITE_FLAGS):
                        writes.add(path)
            elif name in PATH_CALLS:
                path = resolve_path(name, args)
                if path:
                    writes.add(path)
    return syscalls, families, opens, writes


def resolve_path(name, args):
    """The absolute path a call names, from its (dirfd<dir>, "path") args."""
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', args)
    if not strings:
        return None
    path = strings[0]
    if path.startswith("/"):
        return path
    m = re.match(r"\s*(?:\d+|AT_FDCWD)<([^>]*)>", args)  # dirfd, shown by -y
    if m:
        return m.group(1).rstrip("/") + "/" + path
    return None  # a relative path with no directory shown (not seen so far)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--unit", required=True)
    ap.add_argument("--trace", required=True)
    ap.add_argument("--writable", required=True)
    ap.add_argument("--stand_in_root", default="")
    ap.add_argument("--proc-ok", default="")
    a = ap.parse_args()
    name = a.unit.rsplit("/", 1)[-1]
    failures = 0

    def report(ok, what):
        nonlocal failures
        print(("ok: " if ok else "FAIL: ") + name + ": " + what)
        failures += 0 if ok else 1

    syscalls, families, opens, writes = parse(a.trace)
    report(len(syscalls) > 20, f"{len(syscalls)} distinct system calls traced")

    allowed = allowed_syscalls(a.unit)
    if allowed is None:
        report(False, "no SystemCallFilter=")
    else:
        denied = sorted(syscalls - allowed)
        report(not denied, "every system call passes SystemCallFilter="
               + (f" (refused: {', '.join(denied)})" if denied else ""))

    fams = set(" ".join(unit_values(a.unit, "RestrictAddressFamilies")).split())
    bad = sorted(families - fams)
    report(bool(families) and not bad,
           f"socket families {sorted(families)} within RestrictAddressFamilies="
           + (f" (refused: {bad})" if bad else ""))

    if "pid" in unit_values(a.unit, "ProcSubset"):
        proc_ok = set(filter(None, a.proc_ok.split(",")))
        hidden = sorted(
            p for p in opens if p.startswith("/proc/")
            and not re.match(r"^/proc/(self|thread-self|\d+)(/|$)", p)
            and p not in proc_ok)
        report(not hidden, "nothing outside /proc/PID needed (ProcSubset=pid)"
               + (f" (hidden: {hidden})" if hidden else ""))

    if "strict" in unit_values(a.unit, "ProtectSystem"):
        roots = [d.rstrip("/") for d in a.writable.split(",") if d]
        if "yes" in unit_values(a.unit, "PrivateTmp"):
            roots += ["/tmp", "/var/tmp"]
        under = lambda p, r: p == r or p.startswith(r + "/")
        stand_in = a.stand_in_root.rstrip("/")
        writable = [d.rstrip("/") for d in a.writable.split(",") if d]

        def allowed(p):
            if stand_in and under(p, stand_in):
                return any(under(p, w) for w in writable)
            return p == "/dev/null" or any(under(p, r) for r in roots)
        outside = sorted(p for p in writes if not allowed(p))
        report(not outside, "writes only in StateDirectory=/PrivateTmp= "
               "(ProtectSystem=strict)"
               + (f" (read-only there: {outside})" if outside else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
