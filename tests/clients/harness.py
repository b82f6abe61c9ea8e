"""Shared by the client tests in this folder: recorded checks with a JUnit
report Bazel reads from $XML_OUTPUT_FILE (the Python twin of
tests/e2e/lib.sh, so tools/test_summary.py counts each check), a real
collector started on port 0, and stub generation with Debian's protoc and
grpc_python_plugin."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from xml.sax.saxutils import quoteattr

CASES = []  # (status, name): status "ok", "FAIL" or "SKIP".


def ok(name):
    print("ok: " + name, flush=True)
    CASES.append(("ok", name))


def fail(name, detail=""):
    print("FAIL: " + name, flush=True)
    if detail:
        print(detail.rstrip()[-3000:], flush=True)
    CASES.append(("FAIL", name))


def skip(name):
    print("skipped: " + name, flush=True)
    CASES.append(("SKIP", name))


def check(condition, name, detail=""):
    if condition:
        ok(name)
    else:
        fail(name, detail)
    return condition


def finish(suite):
    """Writes the JUnit report; the exit code for sys.exit."""
    fails = sum(1 for s, _ in CASES if s == "FAIL")
    skips = sum(1 for s, _ in CASES if s == "SKIP")
    out = os.environ.get("XML_OUTPUT_FILE")
    if out:
        with open(out, "w") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>')
            f.write(f'<testsuite name={quoteattr(suite)} tests="{len(CASES)}" '
                    f'failures="{fails}" skipped="{skips}">')
            for status, name in CASES:
                n = quoteattr(name[:200])
                if status == "ok":
                    f.write(f"<testcase name={n}/>")
                elif status == "SKIP":
                    f.write(f"<testcase name={n}><skipped message={n}/></testcase>")
                else:
                    f.write(f'<testcase name={n}><failure message="failed"/></testcase>')
            f.write("</testsuite></testsuites>\n")
    print(f"{fails} failures", flush=True)
    return 1 if fails else 0


def skip_test(suite, reason):
    """The whole test cannot run here: one skipped case saying why, exit 0
    (the report's <skipped/> makes the summary count a skip, not a pass)."""
    print(f"SKIPPED: {suite}: {reason}", flush=True)
    skip(reason)
    sys.exit(finish(suite))


def missing_tools():
    """What the client tests need from Debian (tools/install-deps) and is
    not installed here."""
    missing = []
    for tool in ("/usr/bin/protoc", "/usr/bin/grpc_python_plugin"):
        if not os.access(tool, os.X_OK):
            missing.append(tool)
    for module in ("grpc", "google.protobuf"):
        try:
            __import__(module)
        except ImportError:
            missing.append(f"python module {module}")
    return missing


def protoc(include, out_dir, files, cwd=None):
    """Python messages and gRPC stubs, as the docs generate them."""
    os.makedirs(out_dir, exist_ok=True)
    cmd = ["/usr/bin/protoc", "-I", include, f"--python_out={out_dir}",
           f"--grpc_python_out={out_dir}",
           "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin"] + files
    subprocess.run(cmd, check=True, cwd=cwd)


def wait_file(path, seconds=20):
    """Polls until the collector wrote its port file (not a sleep for
    correctness: the file's content is what is waited for)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(path) and open(path).read().strip():
            return True
        time.sleep(0.05)
    return False


class Collector:
    """A real v6scope-collector on 127.0.0.1 port 0 (gRPC and HTTP), over
    the data directory given (made if absent). Stopped by stop()."""

    def __init__(self, binary, work, data_dir=None):
        self.work = work
        self.data_dir = data_dir or os.path.join(work, "data")
        os.makedirs(self.data_dir, exist_ok=True)
        self.log = os.path.join(work, "collector.log")
        port_file = os.path.join(work, "grpc.port")
        http_file = os.path.join(work, "http.port")
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [binary, "--grpc_listen=127.0.0.1:0", "--http_listen=127.0.0.1:0",
                 f"--port_file={port_file}", f"--http_port_file={http_file}",
                 f"--data_dir={self.data_dir}"],
                stdout=log, stderr=subprocess.STDOUT)
        if not (wait_file(port_file) and wait_file(http_file)):
            self.stop()
            raise RuntimeError("collector did not start:\n" + self.log_tail())
        self.grpc = "127.0.0.1:" + open(port_file).read().strip()
        self.http = "http://127.0.0.1:" + open(http_file).read().strip()

    def log_tail(self, lines=20):
        with open(self.log) as f:
            return "".join(f.readlines()[-lines:])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def work_dir(name):
    """A fresh directory under Bazel's TEST_TMPDIR (or /tmp)."""
    base = os.environ.get("TEST_TMPDIR") or tempfile.gettempdir()
    path = tempfile.mkdtemp(prefix=name + ".", dir=base)
    return path


def copy_protos(protos, root):
    """The repository's proto/ files under root/proto, as a checkout has
    them (the generated modules import each other as proto.NAME_pb2)."""
    os.makedirs(os.path.join(root, "proto"), exist_ok=True)
    for p in protos:
        shutil.copy(p, os.path.join(root, "proto", os.path.basename(p)))
