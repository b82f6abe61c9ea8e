#!/usr/bin/env python3
"""Offline checks of deploy/docker and deploy/k8s (no Docker engine and no
cluster here): the Dockerfile's stages, base images, users, the files it
copies and the packages it installs (against tools/install-deps); the
compose file's services, builds, volumes, dependencies and variables; the
Kubernetes manifests' required keys, selectors, ports, probes, security
contexts, and the ConfigMap/Secret keys they mount -- and that they agree
with the collector's and the probe's flags and with each other.

usage: lint_manifests.py --workspace=DIR --collector_help=FILE
                         --probe_help=FILE --extract=DIR
Writes the ConfigMaps' settings files to --extract for the caller to parse
with the real binaries. Prints "ok: ..." / "FAIL: ..." lines; exit 1 on a
failure.
"""
import argparse
import json
import os
import re
import shlex
import sys

import yaml

FAILURES = 0


def report(ok, what):
    global FAILURES
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        FAILURES += 1


def flag_names(help_file):
    with open(help_file) as f:
        return set(re.findall(r"^\s+--([a-z_0-9]+)\s", f.read(), re.M))


def flags_in(args):
    return [a[2:].split("=", 1)[0] for a in args if a.startswith("--")]


# ---------------------------------------------------------------- Dockerfile
def dockerfile_instructions(path):
    """[(INSTRUCTION, args)] with continuation lines joined."""
    out, buf = [], ""
    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not buf and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if buf and line.lstrip().startswith("#"):
                continue
            if line.endswith("\\"):
                buf += line[:-1] + " "
                continue
            buf += line
            word, _, rest = buf.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
            buf = ""
    return out


def install_deps_groups(path):
    """Package groups of tools/install-deps, keyed by their comment."""
    groups, current = {}, None
    with open(path) as f:
        text = f.read()
    block = re.search(r"PACKAGES=\((.*?)\n\)", text, re.S).group(1)
    for line in block.splitlines():
        line = line.strip()
        if line.startswith("#"):
            current = line.lstrip("# ").split()[0].rstrip(":")
            groups.setdefault(current, set())
        elif line and current:
            groups[current] |= set(line.split())
    return groups


def check_dockerfile(ws, docker_dir, uids, collector_flags):
    path = os.path.join(docker_dir, "Dockerfile")
    ins = dockerfile_instructions(path)
    stages, current, users, entry = {}, None, {}, {}
    for word, args in ins:
        if word == "FROM":
            m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", args, re.I)
            current = m.group(2) or str(len(stages))
            stages[current] = m.group(1)
        elif word == "USER":
            users[current] = args
        elif word == "ENTRYPOINT":
            entry[current] = args
    report(set(stages) >= {"build", "collector", "probe"},
           f"Dockerfile: stages build, collector, probe ({', '.join(stages)})")
    for name, image in stages.items():
        report(re.fullmatch(r"debian:12(-slim)?", image) is not None,
               f"Dockerfile: stage {name} is based on Debian 12 ({image})")
    for stage, uid in uids.items():
        user = users.get(stage, "")
        report(user == f"{uid}:{uid}",
               f"Dockerfile: {stage} runs as {uid}:{uid}, the manifests' "
               f"runAsUser (USER {user or 'root'})")
    for word, args in ins:
        if word == "ADD":
            report(False, f"Dockerfile: ADD {args} (use COPY; no downloads)")
        if word == "COPY":
            parts = shlex.split(args)
            if any(p.startswith("--from=") for p in parts):
                src = [p for p in parts if p.startswith("--from=")][0][7:]
                report(src in stages, f"Dockerfile: COPY --from={src} names a stage")
                continue
            for src in parts[:-1]:
                report(os.path.exists(os.path.join(ws, src)),
                       f"Dockerfile: COPY source {src} exists in the context")
        if word == "RUN" and re.search(r"(curl|wget)\b.*\|\s*(ba)?sh", args):
            report(False, "Dockerfile: RUN pipes a download into a shell")
        if word in ("ENTRYPOINT", "CMD", "HEALTHCHECK") and "[" in args:
            js = args[args.index("["):]
            try:
                json.loads(js)
                report(True, f"Dockerfile: {word} is a valid exec-form array")
            except ValueError as e:
                report(False, f"Dockerfile: {word} JSON: {e}")
    # Build stage packages: the build and library groups of install-deps.
    groups = install_deps_groups(os.path.join(ws, "tools", "install-deps"))
    want = groups.get("build", set()) | groups.get("libraries", set())
    build_runs = [a for w, a in ins if w == "RUN"]
    installed = set()
    for run in build_runs:
        m = re.search(r"apt-get install\s+(.*?)(&&|$)", run)
        if m:
            installed |= {w for w in m.group(1).split()
                          if not w.startswith("-") and not w.startswith("/")
                          and "*" not in w}
    build_pkgs = set()
    for run in build_runs[:1]:
        m = re.search(r"apt-get install\s+(.*?)(&&|$)", run)
        build_pkgs = {w for w in m.group(1).split() if not w.startswith("-")}
    report(bool(want) and want <= build_pkgs,
           "Dockerfile: the build stage installs tools/install-deps' build and "
           "library packages" + (f" (missing {sorted(want - build_pkgs)})"
                                 if want - build_pkgs else ""))
    # nodejs and npm: install-deps adds them outside its list when no npm is
    # installed (the dashboard that build-debs builds first needs them).
    allowed = set().union(*groups.values()) | {"dpkg-dev", "ca-certificates", "nodejs", "npm"}
    extra = sorted(installed - allowed)
    report(not extra, "Dockerfile: every apt package is one tools/install-deps "
           "knows (or dpkg-dev/ca-certificates/nodejs/npm)" + (f" (unknown {extra})" if extra else ""))
    report(any("deploy/debian/build-debs" in r for r in build_runs)
           and os.access(os.path.join(ws, "deploy/debian/build-debs"), os.X_OK),
           "Dockerfile: builds with deploy/debian/build-debs (same route as a host)")
    # The collector's entry point flags exist.
    e = json.loads(entry.get("collector", "[]"))
    unknown = [f for f in flags_in(e[1:]) if f not in collector_flags]
    report(bool(e) and e[0] == "/usr/bin/v6scope-collector" and not unknown,
           "Dockerfile: collector ENTRYPOINT is the packaged binary with known flags"
           + (f" (unknown {unknown})" if unknown else ""))
    ignore = open(os.path.join(docker_dir, "Dockerfile.dockerignore")).read().split()
    report("bazel-*" in ignore and ".git" in ignore,
           "Dockerfile.dockerignore keeps bazel-* and .git out of the context")
    return stages


# ------------------------------------------------------------------- compose
def check_compose(ws, docker_dir, stages, collector_flags, probe_flags):
    path = os.path.join(docker_dir, "docker-compose.yml")
    doc = yaml.safe_load(open(path))
    report(isinstance(doc, dict) and "services" in doc, "compose: parses, has services")
    services = doc.get("services", {})
    report({"postgres", "collector-a", "collector-b", "probe"} <= set(services),
           "compose: PostgreSQL, two collectors and a probe")
    volumes = set((doc.get("volumes") or {}).keys())
    for name, svc in services.items():
        report("image" in svc or "build" in svc, f"compose: {name} has an image or build")
        build = svc.get("build")
        if build:
            ctx = os.path.normpath(os.path.join(docker_dir, build["context"]))
            report(os.path.isdir(ctx) and os.path.samefile(ctx, ws),
                   f"compose: {name} builds from the repository root")
            report(os.path.isfile(os.path.join(ctx, build["dockerfile"])),
                   f"compose: {name}'s dockerfile {build['dockerfile']} exists")
            report(build.get("target") in stages,
                   f"compose: {name}'s target {build.get('target')} is a Dockerfile stage")
        deps = svc.get("depends_on", [])
        for dep in (deps if isinstance(deps, list) else deps.keys()):
            report(dep in services, f"compose: {name} depends on {dep}, a service")
        for v in svc.get("volumes", []):
            src = v.split(":")[0]
            if src.startswith(".") or src.startswith("/"):
                report(os.path.exists(os.path.join(docker_dir, src)),
                       f"compose: {name} mounts {src}, which exists")
            else:
                report(src in volumes, f"compose: {name}'s volume {src} is declared")
        for p in svc.get("ports", []):
            report(str(p).startswith("127.0.0.1:"),
                   f"compose: {name} publishes {p} on loopback only")
    for name in ("collector-a", "collector-b"):
        svc = services.get(name, {})
        cmd = svc.get("command", [])
        report(any(c.startswith("--postgres=") for c in cmd)
               and "PGPASSWORD" in svc.get("environment", {}),
               f"compose: {name} uses the shared PostgreSQL, password from the environment")
        unknown = [f for f in flags_in(cmd) if f not in collector_flags]
        report(not unknown, f"compose: {name}'s flags are collector flags"
               + (f" (unknown {unknown})" if unknown else ""))
        dep = svc.get("depends_on", {})
        report(isinstance(dep, dict) and
               dep.get("postgres", {}).get("condition") == "service_healthy"
               and "healthcheck" in services.get("postgres", {}),
               f"compose: {name} waits for a healthy PostgreSQL")
    probe = services.get("probe", {})
    unknown = [f for f in flags_in(probe.get("command", [])) if f not in probe_flags]
    report(not unknown, "compose: the probe's flags are probe flags"
           + (f" (unknown {unknown})" if unknown else ""))
    cols = probe.get("environment", {}).get("V6SCOPE_COLLECTORS", "")
    report(all(c.split(":")[0] in services for c in cols.split(",")) and "," in cols,
           "compose: the probe fails over between both collectors")
    text = open(path).read()
    needed = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    example = open(os.path.join(docker_dir, "env.example")).read()
    missing = sorted(v for v in needed if not re.search(rf"^{v}=", example, re.M))
    report(not missing, "compose: every ${VAR} is in env.example"
           + (f" (missing {missing})" if missing else ""))


# ---------------------------------------------------------------- Kubernetes
def k8s_docs(k8s_dir):
    docs = {}
    for name in sorted(os.listdir(k8s_dir)):
        if name.endswith(".yaml"):
            try:
                docs[name] = [d for d in yaml.safe_load_all(open(os.path.join(k8s_dir, name))) if d]
                report(True, f"k8s: {name} parses ({len(docs[name])} documents)")
            except yaml.YAMLError as e:
                report(False, f"k8s: {name}: {e}")
                docs[name] = []
    return docs


def listen_port(textproto, field):
    m = re.search(rf'^{field}:\s*"\[?[^"]*?\]?:(\d+)"', textproto, re.M)
    return int(m.group(1)) if m else None


def check_workload(kind, w, configmaps, secrets_example, uid, flags):
    name = w["metadata"]["name"]
    spec = w["spec"]
    tmpl = spec["template"]
    labels = tmpl["metadata"].get("labels", {})
    sel = spec["selector"]["matchLabels"]
    report(all(labels.get(k) == v for k, v in sel.items()),
           f"k8s: {kind} {name}: selector matches the pod labels")
    pod = tmpl["spec"]
    psc = pod.get("securityContext", {})
    report(psc.get("runAsNonRoot") is True and psc.get("runAsUser") == uid
           and psc.get("seccompProfile", {}).get("type") == "RuntimeDefault",
           f"k8s: {name}: pod runs as non-root uid {uid} with RuntimeDefault seccomp")
    report(pod.get("automountServiceAccountToken") is False,
           f"k8s: {name}: no service account token (needs no API access)")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for c in pod.get("containers", []):
        csc = c.get("securityContext", {})
        report(csc.get("allowPrivilegeEscalation") is False
               and csc.get("readOnlyRootFilesystem") is True
               and csc.get("capabilities", {}).get("drop") == ["ALL"]
               and not csc.get("capabilities", {}).get("add"),
               f"k8s: {name}/{c['name']}: no privilege escalation, read-only root, no capabilities")
        report("requests" in c.get("resources", {}) and "limits" in c.get("resources", {}),
               f"k8s: {name}/{c['name']}: resource requests and limits")
        env_names = {e["name"] for e in c.get("env", [])}
        for a in c.get("args", []) + [e.get("value", "") for e in c.get("env", [])]:
            for ref in re.findall(r"\$\(([A-Z_0-9]+)\)", str(a)):
                report(ref in env_names, f"k8s: {name}: $({ref}) is a defined env var")
        for e in c.get("env", []):
            ref = e.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                report(ref["key"] in secrets_example.get(ref["name"], set()),
                       f"k8s: {name}: Secret {ref['name']} key {ref['key']} is in secrets.example.yaml")
        if flags is not None:
            unknown = [f for f in flags_in(c.get("args", [])) if f not in flags]
            report(not unknown, f"k8s: {name}/{c['name']}: args are known flags"
                   + (f" (unknown {unknown})" if unknown else ""))
    for c in pod.get("containers", []) + pod.get("initContainers", []):
        for m in c.get("volumeMounts", []):
            v = volumes.get(m["name"])
            report(v is not None, f"k8s: {name}/{c['name']}: mount {m['name']} has a volume")
            if v and "configMap" in v and "subPath" in m and v["configMap"]["name"] in configmaps:
                report(m["subPath"] in configmaps[v["configMap"]["name"]],
                       f"k8s: {name}: ConfigMap {v['configMap']['name']} has key {m['subPath']}")
    return pod


def check_k8s(k8s_dir, uids, collector_flags, probe_flags, extract):
    docs = k8s_docs(k8s_dir)
    objs = [d for ds in docs.values() for d in ds]
    for d in objs:
        ok = all(k in d for k in ("apiVersion", "kind")) and (
            d["kind"] == "Kustomization" or "name" in d.get("metadata", {}))
        if d.get("kind") not in ("Namespace", "Kustomization"):
            ok = ok and d["metadata"].get("namespace") == "v6scope"
        report(ok, f"k8s: {d.get('kind')} {d.get('metadata', {}).get('name', '')}: "
               "apiVersion, kind, name, namespace v6scope")
    kust = docs.get("kustomization.yaml", [{}])[0]
    for r in kust.get("resources", []):
        report(os.path.isfile(os.path.join(k8s_dir, r)), f"k8s: kustomization resource {r} exists")
    report("secrets.example.yaml" not in kust.get("resources", []),
           "k8s: the example Secrets are not applied by the kustomization")
    by_kind = {}
    for d in objs:
        by_kind.setdefault(d["kind"], {})[d.get("metadata", {}).get("name")] = d
    configmaps = {n: d.get("data", {}) for n, d in by_kind.get("ConfigMap", {}).items()}
    secrets_example = {n: set((d.get("stringData") or {}).keys())
                       for n, d in by_kind.get("Secret", {}).items()}
    os.makedirs(extract, exist_ok=True)
    for cm, data in configmaps.items():
        for key, value in data.items():
            with open(os.path.join(extract, f"{cm}.{key}"), "w") as f:
                f.write(value)

    dep = by_kind.get("Deployment", {}).get("v6scope-collector")
    report(dep is not None, "k8s: collector Deployment")
    if dep:
        pod = check_workload("Deployment", dep, configmaps, secrets_example,
                             uids["collector"], collector_flags)
        c = pod["containers"][0]
        ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
        conf = configmaps.get("v6scope-collector", {}).get("collector.textproto", "")
        report(ports.get("http") == listen_port(conf, "http_listen"),
               "k8s: container port http is the config's http_listen port")
        report(ports.get("grpc") == listen_port(conf, "grpc_listen"),
               "k8s: container port grpc is the config's grpc_listen port")
        # Liveness asks whether the process serves, readiness whether it
        # can take work (store writable, disk above the floor).
        for probe, path in (("readinessProbe", "/readyz"),
                            ("livenessProbe", "/healthz")):
            g = c.get(probe, {}).get("httpGet", {})
            report(g.get("path") == path and g.get("port") in ports,
                   f"k8s: collector {probe} is GET {path} on a declared port")
        report(any(a.startswith("--postgres=$(") for a in c.get("args", [])),
               "k8s: collector takes the PostgreSQL DSN from a Secret")
        svc = by_kind.get("Service", {}).get("v6scope-collector", {})
        labels = dep["spec"]["template"]["metadata"]["labels"]
        report(svc and all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()),
               "k8s: the Service selects the collector pods")
        for p in svc.get("spec", {}).get("ports", []):
            report(p["targetPort"] in ports, f"k8s: Service port {p['name']} targets a container port")
    ds = by_kind.get("DaemonSet", {}).get("v6scope-probe")
    report(ds is not None, "k8s: probe DaemonSet")
    if ds:
        pod = check_workload("DaemonSet", ds, configmaps, secrets_example, uids["probe"], probe_flags)
        c = pod["containers"][0]
        env = {e["name"]: e.get("value", "") for e in c.get("env", [])}
        svc = by_kind.get("Service", {}).get("v6scope-collector", {})
        grpc = [p["port"] for p in svc.get("spec", {}).get("ports", []) if p["name"] == "grpc"]
        report(grpc and env.get("V6SCOPE_COLLECTORS") == f"v6scope-collector.v6scope.svc:{grpc[0]}",
               "k8s: probes reach the collector Service's gRPC port")
        mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
        ca = [a.split("=", 1)[1] for a in c.get("args", []) if a.startswith("--ca_file=")]
        report(ca and any(ca[0].startswith(p + "/") for p in mounts),
               "k8s: the probe's --ca_file is on a mounted volume")
        report(env.get("V6SCOPE_ENROL_TOKEN_FILE", "").startswith("/run/v6scope/tokens/")
               and "/run/v6scope/tokens" in mounts,
               "k8s: the per-node token file is on the tokens volume")
        report({"/etc/v6scope/targets.textproto", "/etc/v6scope/probe.textproto",
                "/var/lib/v6scope-probe"} <= set(mounts),
               "k8s: the probe gets targets, settings and a persistent state dir")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--workspace", required=True)
    ap.add_argument("--collector_help", required=True)
    ap.add_argument("--probe_help", required=True)
    ap.add_argument("--extract", required=True)
    a = ap.parse_args()
    ws = os.path.realpath(a.workspace)
    docker_dir = os.path.join(ws, "deploy", "docker")
    k8s_dir = os.path.join(ws, "deploy", "k8s")
    collector_flags = flag_names(a.collector_help)
    probe_flags = flag_names(a.probe_help)
    report(len(collector_flags) > 5 and len(probe_flags) > 5, "flags read from --help")
    uids = {"collector": 10001, "probe": 10002}
    stages = check_dockerfile(ws, docker_dir, uids, collector_flags)
    check_compose(ws, docker_dir, stages, collector_flags, probe_flags)
    check_k8s(k8s_dir, uids, collector_flags, probe_flags, a.extract)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
