#!/usr/bin/env python3
"""Checks the guides in docs/guides against the code they describe.

- Every relative Markdown link resolves, anchors included (GitHub slugs).
- In shell code blocks, every call of v6scope-probe, v6scope-probe-enrol,
  v6scope-collector, v6scope or deploy/debian/build-debs uses only flags
  that program has (from --help), and v6scope only commands it has.
- Repository paths named in code blocks (deploy/, tools/, docs/) exist.
- systemctl/journalctl name only the units in deploy/systemd.
- The aggregate/export commands researchers use are referenced, not
  documented here: no code line runs `v6scope networks|countries|...`.
- Blocks marked <!-- test:NAME --> are written to --blocks_dir/NAME.sh for
  the caller to run.

usage: check_guides.py --workspace=DIR --help_dir=DIR --blocks_dir=DIR GUIDE...
--help_dir holds PROGRAM.help files (the --help output of each program).
Prints "ok: ..." / "FAIL: ..." lines; exits 1 on a failure.
"""
import argparse
import os
import re
import shlex
import sys

FAILURES = 0
REFERENCED_ONLY = {"networks", "countries", "regions", "allocations", "export"}


def report(ok, what):
    global FAILURES
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        FAILURES += 1


def slug(heading):
    """GitHub's anchor for a heading."""
    s = heading.strip().lower()
    s = re.sub(r"[`*_]", "", s)
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path):
    out = set()
    in_code = False
    with open(path) as f:
        for line in f:
            if line.startswith("```"):
                in_code = not in_code
            elif not in_code and line.startswith("#"):
                out.add(slug(line.lstrip("#")))
    return out


def code_blocks(text):
    """[(language, [lines], marker)] of fenced blocks; marker from a
    preceding <!-- test:NAME --> line."""
    blocks, lang, lines, marker, pending = [], None, [], None, None
    for line in text.splitlines():
        m = re.match(r"<!-- test:([a-z0-9_-]+) -->", line.strip())
        if m and lang is None:
            pending = m.group(1)
            continue
        if line.lstrip().startswith("```"):
            if lang is None:
                lang = line.strip()[3:].strip() or "text"
                lines, marker, pending = [], pending, None
            else:
                blocks.append((lang, lines, marker))
                lang = None
            continue
        if lang is not None:
            lines.append(line.strip())
    return blocks


def commands(lines):
    """Simple commands of shell lines: continuations joined, comments cut,
    split at ; && || |."""
    joined, buf = [], ""
    for line in lines:
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        joined.append(buf + line)
        buf = ""
    out = []
    for line in joined:
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = line.split()
        cmd = []
        for w in words:
            if w in (";", "&&", "||", "|") or w.endswith(";"):
                if w.endswith(";") and w != ";":
                    cmd.append(w[:-1])
                out.append(cmd)
                cmd = []
            else:
                cmd.append(w)
        out.append(cmd)
    return [c for c in out if c]


def strip_prefix(cmd):
    """Drops sudo (and its flags) and VAR=value assignments."""
    while cmd:
        if cmd[0] == "sudo":
            cmd = cmd[1:]
            while cmd and cmd[0].startswith("-"):
                cmd = cmd[1:] if cmd[0] != "-u" else cmd[2:]
        elif re.match(r"^[A-Z_][A-Z0-9_]*=", cmd[0]):
            cmd = cmd[1:]
        else:
            break
    return cmd


def help_flags(path):
    with open(path) as f:
        text = f.read()
    return set(re.findall(r"--([a-z][a-z0-9_-]*)", text)), text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workspace", required=True)
    ap.add_argument("--help_dir", required=True)
    ap.add_argument("--blocks_dir", required=True)
    ap.add_argument("guides", nargs="+")
    a = ap.parse_args()
    ws = os.path.realpath(a.workspace)
    helps = {}
    for name in os.listdir(a.help_dir):
        if name.endswith(".help"):
            helps[name[:-5]] = help_flags(os.path.join(a.help_dir, name))
    # The enrol helper passes other flags on to `v6scope-probe enrol`.
    if "v6scope-probe-enrol" in helps and "v6scope-probe" in helps:
        helps["v6scope-probe-enrol"] = (
            helps["v6scope-probe-enrol"][0] | helps["v6scope-probe"][0],
            helps["v6scope-probe-enrol"][1])
    units = {f[:-len(".service")] for f in os.listdir(os.path.join(ws, "deploy", "systemd"))
             if f.endswith(".service")}
    cli_help = helps.get("v6scope", (set(), ""))[1]

    for guide in a.guides:
        gname = os.path.basename(guide)
        text = open(guide).read()
        # Links.
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"^[a-z]+:", target):
                continue
            path, _, frag = target.partition("#")
            here = os.path.dirname(os.path.realpath(guide))  # the source, not runfiles
            full = os.path.normpath(os.path.join(here, path)) if path else os.path.realpath(guide)
            exists = os.path.exists(full)
            report(exists, f"{gname}: link {target} resolves")
            if exists and frag and full.endswith(".md"):
                report(frag in anchors(full), f"{gname}: anchor #{frag} exists in {os.path.basename(full)}")
        # Code.
        checked = 0
        for lang, lines, marker in code_blocks(text):
            if marker:
                os.makedirs(a.blocks_dir, exist_ok=True)
                with open(os.path.join(a.blocks_dir, marker + ".sh"), "w") as f:
                    f.write("\n".join(lines) + "\n")
                report(lang == "sh", f"{gname}: test block '{marker}' extracted")
            if lang != "sh":
                continue
            for cmd in commands(lines):
                cmd = strip_prefix(cmd)
                if not cmd:
                    continue
                if os.path.basename(cmd[0]) == "kubectl" and "--" in cmd:
                    cmd = cmd[cmd.index("--") + 1:]  # kubectl exec ... -- PROGRAM ...
                    if not cmd:
                        continue
                prog = cmd[0]
                base = os.path.basename(prog)
                for w in (cmd if base != "kubectl" else []):  # kubectl: deploy/NAME
                    m = re.match(r"^(deploy|tools|docs)/[A-Za-z0-9_./-]+$", w)
                    if m and "*" not in w:
                        report(os.path.exists(os.path.join(ws, w.rstrip("/"))),
                               f"{gname}: path {w} exists")
                if base in ("systemctl", "journalctl"):
                    for w in cmd[1:]:
                        if w.startswith("v6scope"):
                            report(w.replace(".service", "") in units,
                                   f"{gname}: {base} names unit {w}, which exists")
                    continue
                key = base if base in helps else None
                if prog == "deploy/debian/build-debs":
                    key = "build-debs"
                if key is None or key not in helps:
                    continue
                flags, _ = helps[key]
                used = [w[2:].split("=", 1)[0] for w in cmd[1:] if w.startswith("--")]
                unknown = [f for f in used if f not in flags]
                checked += 1
                report(not unknown, f"{gname}: `{' '.join(cmd)[:70]}` uses only {key} flags"
                       + (f" (unknown: {unknown})" if unknown else ""))
                if key == "v6scope":
                    words = [w for w in cmd[1:] if not w.startswith("-")]
                    if words:
                        report(words[0] not in REFERENCED_ONLY,
                               f"{gname}: v6scope {words[0]} is run here, not only referenced")
                        report(re.search(rf"\b{re.escape(words[0])}\b", cli_help) is not None,
                               f"{gname}: v6scope has the command '{words[0]}'")
        report(checked > 0, f"{gname}: {checked} program calls checked against --help")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
