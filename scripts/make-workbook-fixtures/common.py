"""What both generators share: the catalogue's labels, cell addresses and the expectations files.

The catalogue comes from shared/catalogue.ts (export-from-ts.mts writes it as JSON), so that a
label here is the project's own. Expectations follow tests/fixtures/xlsx/README.md: units are
codes within the town EC of config/units.json (checkFile reports them as EC/V03), checked as the
admin at 2025-04-03 09:00 Asia/Shanghai, as tests/fixtures/README.md says for the CSV files.
"""

import json
import os

OUT_DIR = os.environ.get("XLSX_OUT", "tests/fixtures/xlsx")
WORK_DIR = os.environ.get("XLSX_WORK", "/tmp/cunbao-workbook-fixtures")

with open(os.path.join(WORK_DIR, "catalogue.json"), encoding="utf-8") as f:
    _CATALOGUE = {k["key"]: k for k in json.load(f)}

# The long layout's Chinese header (shared/write.ts LONG_HEADER.label) and its English one.
LONG_LABELS = ["单位代码", "月份", "指标代码", "指标名称", "数值", "备注"]
LONG_CODES = ["unit", "period", "metric", "label", "value", "note"]


def label(key):
    """`排查一般隐患(处)`: the label a person reads, with its unit of measure (as the template writes it)."""
    return _CATALOGUE[key]["labelWithUnit"]


def col(index):
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def cell(sheet, column, row):
    """`Sheet1!E9` from a 0-based column and a 1-based row: the place a finding names."""
    return f"{sheet}!{col(column)}{row}"


def submission(unit, period, values, cleared=None, implied=None):
    """One submission as a secretary expects it counted; categories given alone imply their total."""
    out = {"unit": unit, "period": period, "values": dict(values)}
    if cleared:
        out["cleared"] = list(cleared)
    if implied:
        out["implied"] = list(implied)
    for key in out["values"]:
        if key not in _CATALOGUE:
            raise ValueError(f"unknown value key {key}")
    return out


def with_disputes_total(values):
    """The values with `disputes_resolved` added as the sum of its categories (an implied total)."""
    total = sum(v for k, v in values.items() if k.startswith("disputes_resolved."))
    return {**values, "disputes_resolved": total}


def write_expect(name, made_by, layout, status, notes, submissions=(), errors=(), warnings=(), sheet=None, **extra):
    """tests/fixtures/xlsx/<name>.expect.json, next to the workbook it describes."""
    record = {
        "file": name,
        "madeBy": made_by,
        "layout": layout,
        "status": status,
        "sheet": sheet,
        "submissions": list(submissions),
        "errors": list(errors),
        "warnings": list(warnings),
        "notes": notes,
        **extra,
    }
    if status == "accepted" and (errors or not submissions):
        raise ValueError(f"{name}: an accepted file has submissions and no errors")
    if status == "rejected" and (submissions or not errors):
        raise ValueError(f"{name}: a rejected file has errors and no submissions")
    stem = name.rsplit(".", 1)[0]
    with open(os.path.join(OUT_DIR, f"{stem}.expect.json"), "w", encoding="utf-8") as f:
        json.dump(record, f, ensure_ascii=False, indent=2)
        f.write("\n")


def late(cell_ref):
    """The LATE warning of a month already past its deadline on 2025-04-03 (January, February)."""
    return {"code": "LATE", "cell": cell_ref}
