"""The verdict vocabulary on both sides: the Capability and RootCause enum
values of proto/results.proto and the dashboard's human names for them
(dashboard/src/vocabulary.js). Shared by vocabulary_test.py and
check_dom.py."""
import re

# An entry of vocabulary.js: "  CODE: {\n    name: 'Human name',\n    text: '...'".
_ENTRY = re.compile(
    r"^  ([A-Z][A-Z0-9_]*): \{\n    name: '([^'\n]+)',\n    text: '([^'\n]*)',",
    re.MULTILINE)
_TABLE = re.compile(r"^export const ([A-Z]+) = \{\n(.*?)^\};", re.MULTILINE | re.DOTALL)
# Enum values at the start of a line; comments removed first.
_VALUE = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*=\s*(\d+)\s*;", re.MULTILINE)

# The dashboard's table for each enum.
TABLES = {"Capability": "CAPABILITIES", "RootCause": "CAUSES"}


def proto_enums(text):
    """{"Capability": {name: number}, "RootCause": {...}} of results.proto."""
    text = re.sub(r"//[^\n]*", "", text)
    out = {}
    for enum in TABLES:
        m = re.search(r"\benum " + enum + r"\s*\{(.*?)\}", text, re.DOTALL)
        out[enum] = ({name: int(n) for name, n in _VALUE.findall(m.group(1))}
                     if m else {})
    return out


def dashboard_vocabulary(text):
    """{"CAPABILITIES": {code: (name, text)}, "CAUSES": {...}} of
    vocabulary.js, and the table bodies' entry counts by a looser pattern
    (so that an entry in another shape is noticed, not skipped)."""
    tables, loose = {}, {}
    for table, body in _TABLE.findall(text):
        tables[table] = {code: (name, desc)
                         for code, name, desc in _ENTRY.findall(body + "\n")}
        loose[table] = len(re.findall(r"^  [A-Z][A-Z0-9_]*: \{", body,
                                      re.MULTILINE))
    return tables, loose


def names(vocabulary_js):
    """{code: human name} over both tables of vocabulary.js."""
    with open(vocabulary_js, encoding="utf-8") as f:
        tables, _ = dashboard_vocabulary(f.read())
    return {code: name for table in tables.values()
            for code, (name, _) in table.items()}


def labels(results_proto):
    """{"Capability": [codes], "RootCause": [codes]} without UNSPECIFIED."""
    with open(results_proto, encoding="utf-8") as f:
        enums = proto_enums(f.read())
    return {enum: [c for c in values if not c.endswith("_UNSPECIFIED")]
            for enum, values in enums.items()}
