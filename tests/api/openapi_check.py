#!/usr/bin/env python3
"""Calls every endpoint of a running collector's HTTP API and validates each
real response against the OpenAPI 3.0 document (collector/http/openapi.json)
with jsonschema, $refs resolved. Schemas say additionalProperties: false, so
an undocumented field fails; the routes in collector/http/api.cc must all be
documented, every documented path and parameter must be exercised, and the
documented bounds must be the real ones. Prints "ok: ..." / "FAIL: ..." lines
(openapi_test.sh records them).

usage: openapi_check.py --port=P --limited_port=P --document=FILE --routes=FILE
"""
import argparse
import copy
import datetime
import json
import re
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request

import jsonschema

FAILED = []


def ok(name):
    print("ok: " + name)


def fail(name, detail=""):
    FAILED.append(name)
    print("FAIL: " + name + (": " + detail[:600] if detail else ""))


def to_json_schema(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema: anyOf [it, null]."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items()}
    if out.pop("nullable", False):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def date_time(value):
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", value):
        return False
    datetime.datetime.fromisoformat(value.replace("Z", "").split(".")[0])
    return True


class Document:
    def __init__(self, doc):
        self.doc = doc
        self.schema_root = to_json_schema(doc)
        self.resolver = jsonschema.RefResolver("", self.schema_root)
        self.formats = jsonschema.FormatChecker(formats=())
        self.formats.checks("date-time", raises=(ValueError,))(date_time)
        self.called = set()  # (path, parameter) and (path, None)
        self.skipped = set()  # Paths that could not answer 200 here.

    def deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self.resolver.resolve(node["$ref"])[1]
        return node

    def operation(self, path):
        return self.doc["paths"].get(path, {}).get("get")

    def response(self, path, status):
        """The documented response of `path` for `status` (or default)."""
        op = self.doc["paths"][path].get("get")
        responses = op["responses"]
        raw = responses.get(str(status), responses.get("default"))
        return self.deref(to_json_schema(raw))

    def errors(self, instance, schema):
        validator = jsonschema.Draft4Validator(
            schema, resolver=self.resolver, format_checker=self.formats)
        return ["%s at %s" % (e.message, "/".join(map(str, e.absolute_path)))
                for e in validator.iter_errors(instance)]

    def parameters(self, path):
        op = self.operation(path)
        return {self.deref(p)["name"]: self.deref(p) for p in op["parameters"]}


class Api:
    def __init__(self, port, document):
        self.base = "http://127.0.0.1:%d" % port
        self.doc = document

    def request(self, path, params=None, method="GET", body=None):
        url = self.base + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        req = urllib.request.Request(url, data=body, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                return res.status, res.headers, res.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def call(self, path, params=None, want=200, method="GET", body=None):
        """Calls `path` and validates the answer against the document;
        returns the parsed JSON body (or the text of an export)."""
        params = params or {}
        name = "%s %s?%s -> %d" % (
            method, path, urllib.parse.urlencode(params), want)
        status, headers, raw = self.request(path, params, method, body)
        if status != want:
            fail(name, "got %d: %s" % (status, raw[:300]))
            return None
        if self.doc.operation(path) is None:
            return self.check_error(name, status, headers, raw,
                                    self.doc.deref(self.doc.doc["components"]
                                                   ["responses"]["Error"]))
        documented = self.doc.parameters(path)
        for p in params:
            if p not in documented:
                fail(name, "parameter %s is not documented" % p)
            self.doc.called.add((path, p))
        if status == 200:
            self.doc.called.add((path, None))
        response = self.doc.response(path, status)
        if status >= 400:
            return self.check_error(name, status, headers, raw, response)
        return self.check_ok(name, headers, raw, response)

    def check_error(self, name, status, headers, raw, response):
        if headers.get("Content-Type") != "application/json":
            fail(name, "Content-Type " + str(headers.get("Content-Type")))
            return None
        body = json.loads(raw)
        errors = self.doc.errors(
            body, response["content"]["application/json"]["schema"])
        if body.get("error", {}).get("code") != status:
            errors.append("error.code is not %d" % status)
        for header in response.get("headers", {}):
            if header != "Retry-After" or status == 429:
                if headers.get(header) is None:
                    errors.append("no %s header" % header)
        if errors:
            fail(name, "; ".join(errors) + " in " + raw.decode()[:300])
        else:
            ok(name + " (" + body["error"]["status"] + ")")
        return body

    def check_ok(self, name, headers, raw, response):
        ctype = headers.get("Content-Type")
        media = response["content"].get(ctype)
        if media is None:
            fail(name, "undocumented Content-Type " + str(ctype))
            return None
        text = raw.decode()
        if ctype == "application/json":
            body = json.loads(text)
            errors = self.doc.errors(body, media["schema"])
        elif "x-v6scope-line-schema" in media:
            body = [json.loads(line) for line in text.splitlines()]
            line_schema = to_json_schema(media["x-v6scope-line-schema"])
            errors = [e for line in body
                      for e in self.doc.errors(line, line_schema)]
        else:
            body = text
            errors = [] if text.startswith(text.split("\r\n")[0]) else ["?"]
        if errors:
            fail(name, "; ".join(sorted(set(errors))[:8]))
        else:
            ok(name)
        return body


def raw_exchange(port, request):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request.encode())
        chunks = []
        while True:
            chunk = s.recv(4096)
            if not chunk:
                return b"".join(chunks).decode()
            chunks.append(chunk)


def check_served_document(api, file_doc):
    status, headers, raw = api.request("/api/v1/openapi.json")
    api.doc.called.add(("/api/v1/openapi.json", None))
    if status == 200 and json.loads(raw) == file_doc:
        ok("/api/v1/openapi.json serves the checked-in document")
    else:
        fail("/api/v1/openapi.json serves the checked-in document",
             "status %d" % status)
    try:
        for name, schema in api.doc.schema_root["components"]["schemas"].items():
            jsonschema.Draft4Validator.check_schema(schema)
        ok("every schema of the document is a valid schema")
    except jsonschema.SchemaError as e:
        fail("every schema of the document is a valid schema", str(e))


def check_routes_documented(doc, routes_file):
    routes = set(re.findall(r'"(/api/v1/[a-z/._]*)"', open(routes_file).read()))
    missing = sorted(r for r in routes if r not in doc["paths"])
    if routes and not missing:
        ok("every route of collector/http/api.cc is documented (%d)" % len(routes))
    else:
        fail("every route of collector/http/api.cc is documented",
             "undocumented: %s" % missing)
    extra = sorted(p for p in doc["paths"] if p not in routes)
    if extra:
        fail("every documented path is a route", "no route: %s" % extra)


def aggregates_cases(api):
    first = api.call("/api/v1/aggregates")
    groups = list(first["groups"]) if first else []
    for params in [{"group_by": "global", "windows": "366"},
                   {"group_by": "asn", "windows": "3", "page_size": "1000"},
                   {"group_by": "itu_region", "window": "month"},
                   {"group_by": "rir", "window": "week",
                    "at": datetime.date.today().isoformat()},
                   {"group_by": "dev_group", "at": "2026-01-01T00:00:00Z"},
                   {"group_by": "country", "region": "africa"},
                   {"group_by": "asn", "country": "KE", "asn": "AS13335"}]:
        body = api.call("/api/v1/aggregates", params)
        groups += body["groups"] if body else []
    versions = [m["version"] for g in groups for m in g["methodology_versions"]]
    if versions:
        api.call("/api/v1/aggregates", {"methodology": versions[0]})
    paged = {"group_by": "asn", "windows": "3", "page_size": "1"}
    page = api.call("/api/v1/aggregates", paged)
    if page and page["next_page_token"]:
        api.call("/api/v1/aggregates",
                 dict(paged, page_token=page["next_page_token"]))
    else:
        fail("aggregates page 1 of several has a next_page_token")
    kinds = {g["insufficient_data"] for g in groups}
    if kinds == {True, False} and any(g["median_gap_ms"] is not None
                                      for g in groups):
        ok("groups with and without sufficient data were validated")
    else:
        fail("groups with and without sufficient data were validated",
             "insufficient_data values: %s" % kinds)


def json_cases(api):
    aggregates_cases(api)
    api.call("/api/v1/allocations")
    api.call("/api/v1/allocations", {"country": "ke"})
    api.call("/api/v1/allocations", {"country": "ke", "history": "1"})
    probes = api.call("/api/v1/probes")
    api.call("/api/v1/probes", {"silent_for": "2h"})
    if probes and {p["last_run_at"] is None for p in probes["probes"]} == {True, False}:
        ok("probes with and without runs were validated")
    else:
        fail("probes with and without runs were validated")
    runs = api.call("/api/v1/runs", {"page_size": "1000"})
    probe = runs["runs"][0]["probe_id"] if runs and runs["runs"] else "none"
    page = api.call("/api/v1/runs", {"probe_id": probe, "page_size": "2"})
    if page and page["next_page_token"]:
        api.call("/api/v1/runs", {"probe_id": probe, "page_size": "2",
                                  "page_token": page["next_page_token"]})
    api.call("/api/v1/runs")
    return probe


def export_cases(api, probe):
    api.call("/api/v1/export/runs")
    api.call("/api/v1/export/runs", {"format": "jsonl", "probe_id": probe})
    api.call("/api/v1/export/runs", {"format": "ndjson", "country": "KE",
                                     "asn": "13335", "since": "2020-01-01",
                                     "until": "2100-01-01T00:00:00Z"})
    api.call("/api/v1/export/aggregates", {"format": "jsonl", "windows": "2",
                                           "group_by": "asn"})
    api.call("/api/v1/export/aggregates", {
        "format": "csv", "group_by": "country", "window": "week",
        "at": "2026-11-29", "country": "KE", "asn": "1", "region": "europe",
        "methodology": ""})


SERVICES = ["/api/v1/services/shares", "/api/v1/services/series",
            "/api/v1/services/domains", "/api/v1/services/changes"]


def services_cases(api):
    """The readiness endpoints. A store without readiness rollups answers
    503 saying so: validated as the documented error, and the paths are
    reported SKIPPED (their 200 answers not validated), not covered."""
    campaigns = api.call("/api/v1/services/campaigns")
    status, _, raw = api.request(SERVICES[0], {"campaign_id": "c"})
    if status == 503 and b"readiness rollups not kept" in raw:
        for path in SERVICES:
            api.call(path, {"campaign_id": "c"}, want=503)
            api.doc.skipped.add(path)
        print("SKIPPED: /api/v1/services/*: readiness rollups not kept by "
              "this store; their 200 answers were not validated")
        return
    # The seeded synthetic campaign (seed-store --campaign_domains): real
    # cells, changes and domains to validate, not only empty answers.
    seeded = [c["campaign_id"] for c in (campaigns or {}).get("campaigns", [])]
    for cid in seeded[:1]:
        for path in SERVICES:
            api.call(path, {"campaign_id": cid}
                     if path != SERVICES[2] else
                     {"campaign_id": cid, "page_size": "5"})
    common = {"campaign_id": "c", "country": "KE", "sector": "government",
              "methodology": "readiness 1", "min_networks": "3"}
    for fmt in ["json", "csv", "jsonl"]:
        api.call(SERVICES[0], dict(common, round="1", service="web",
                                   format=fmt))
        api.call(SERVICES[1], dict(common, service="dns", format=fmt))
        api.call(SERVICES[2], dict(common, round="1", domain="a.ke",
                                   page_size="10", format=fmt))
        api.call(SERVICES[3], dict(common, from_round="1", to_round="2",
                                   service="mail", format=fmt))
    api.call(SERVICES[2], {"campaign_id": "c", "page_token": ""})


def error_cases(api, port, limited_port):
    for path, params in [
            ("/api/v1/services/shares", {}),
            ("/api/v1/services/campaigns", {"campaign_id": "c"}),
            ("/api/v1/services/series", {"campaign_id": "c", "round": "1"}),
            ("/api/v1/services/domains", {"campaign_id": "c",
                                          "page_size": "1001"}),
            ("/api/v1/services/changes", {"campaign_id": "c",
                                          "service": "ftp"})]:
        check_400(api, path, params)
    for path, params in [
            ("/api/v1/aggregates", {"group_by": "planet"}),
            ("/api/v1/aggregates", {"windows": "367"}),
            ("/api/v1/aggregates", {"page_size": "1001"}),
            ("/api/v1/aggregates", {"colour": "blue"}),
            ("/api/v1/aggregates", {"methodology": "v2"}),
            ("/api/v1/allocations", {"asn": "1"}),
            ("/api/v1/runs", {"page_size": "1001"}),
            ("/api/v1/runs", {"page_size": "many"}),
            ("/api/v1/export/runs", {"format": "xml"}),
            ("/api/v1/export/runs", {"since": "soon"}),
            ("/api/v1/export/aggregates", {"windows": "999"})]:
        check_400(api, path, params)
    for path in ["/api/v1", "/api/v1/", "/api", "/api/nothing",
                 "/api/v2/aggregates"]:
        api.call(path, want=404)
    api.call("/api/v1/runs", method="POST", body=b"", want=405)
    api.call("/api/v1/probes", method="GET", body=b"abc", want=400)
    big = raw_exchange(port, "POST /api/v1/nothing HTTP/1.1\r\nHost: x\r\n"
                       "Content-Length: 2000000\r\nConnection: close\r\n\r\n")
    head, _, body = big.partition("\r\n\r\n")
    if (head.startswith("HTTP/1.1 413 ") and "application/json" in head and
            not api.doc.errors(json.loads(body), api.doc.deref(
                api.doc.doc["components"]["schemas"]["Error"]))):
        ok("413 request body too large is a documented Error")
    else:
        fail("413 request body too large is a documented Error", big[:300])
    limited = Api(limited_port, api.doc)
    limited.call("/api/v1/probes")
    limited.call("/api/v1/probes", want=429)


def check_400(api, path, params):
    """A 400 validated as documented, the unknown parameter included."""
    name = "%s?%s -> 400" % (path, urllib.parse.urlencode(params))
    status, headers, raw = api.request(path, params)
    if status != 400:
        fail(name, "got %d" % status)
        return
    api.check_error(name, status, headers, raw, api.doc.response(path, 400))


def check_coverage(doc, called):
    for path, item in doc.doc["paths"].items():
        if path in doc.skipped:
            continue
        if (path, None) not in called:
            fail("%s was called" % path)
        for p in doc.parameters(path):
            if (path, p) not in called:
                fail("%s parameter %s was exercised" % (path, p))
    ok("coverage of documented paths and parameters checked")


def main():
    flags = argparse.ArgumentParser()
    for name in ["port", "limited_port"]:
        flags.add_argument("--" + name, type=int, required=True)
    flags.add_argument("--document", required=True)
    flags.add_argument("--routes", required=True)
    args = flags.parse_args()
    file_doc = json.load(open(args.document))
    doc = Document(copy.deepcopy(file_doc))
    api = Api(args.port, doc)
    check_served_document(api, file_doc)
    check_routes_documented(file_doc, args.routes)
    probe = json_cases(api)
    export_cases(api, probe)
    services_cases(api)
    error_cases(api, args.port, args.limited_port)
    check_coverage(doc, doc.called)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
