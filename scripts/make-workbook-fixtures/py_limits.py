"""The openpyxl workbooks at the limits, and damaged ones: 25 sheets, a huge dimension, truncated, a zip bomb.

Run through py_fixtures.py (py-truncated.xlsx is cut from its py-shared-strings.xlsx).
"""

import openpyxl

from common import submission, write_expect
from pywrite import EDITED, OPENPYXL, long_sheet, out, save
from zipparts import edit, sheet_part


def many_sheets():
    name = "py-25-sheets.xlsx"
    wb = openpyxl.Workbook()
    long_sheet(wb.active, "V01", "2025-03", [("legal_trainings", None, 1)])
    for i in range(2, 26):
        wb.create_sheet(f"Sheet{i}")
    save(wb, name)
    write_expect(
        name,
        OPENPYXL,
        "long",
        "rejected",
        errors=[{"code": "UNREADABLE_WORKBOOK", "cell": None}],
        notes="25 sheets, over the limit of 20; the first holds a valid long sheet. Refused as a whole, before any sheet is read.",
    )


def huge_dimension():
    name = "py-huge-dimension.xlsx"
    wb = openpyxl.Workbook()
    rows = [("law_study_sessions", None, 1), ("law_study_attendance", None, 18), ("legal_literates", None, 11)]
    long_sheet(wb.active, "V01", "2025-03", rows)
    path = save(wb, name)

    def change(xml):
        xml = xml.replace('<dimension ref="A1:F4"/>', '<dimension ref="A1:XFD1048576"/>')
        xml = xml.replace("<sheetData>", '<cols><col min="1" max="16384" width="12" customWidth="1"/></cols><sheetData>')
        return xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>')

    edit(path, sheet_part(1), change)
    write_expect(
        name,
        EDITED,
        "long",
        "accepted",
        sheet="Sheet",
        submissions=[submission("V01", "2025-03", {k: v for k, _, v in rows})],
        notes=(
            "A sheet whose <dimension> claims A1:XFD1048576 (every cell of a sheet), with a <col> over all 16384 "
            "columns and one empty styled cell at XFD1048576, but only 4 rows of data: a reader that sizes a grid "
            "by the dimension or by the last cell runs out of memory; the empty cell is no data."
        ),
    )


def truncated():
    name = "py-truncated.xlsx"
    with open(out("py-shared-strings.xlsx"), "rb") as f:
        data = f.read()
    with open(out(name), "wb") as f:
        f.write(data[: len(data) * 6 // 10])
    write_expect(
        name,
        EDITED,
        "long",
        "rejected",
        errors=[{"code": "UNREADABLE_WORKBOOK", "cell": None}],
        notes="py-shared-strings.xlsx cut at 60 % of its bytes (an upload broken off): it starts with PK but has no central directory.",
    )


BOMB_BYTES = 55_000_000  # over the 50 MiB (52 428 800 bytes) the unpacked workbook may hold


def zip_bomb():
    name = "py-zip-bomb.xlsx"
    wb = openpyxl.Workbook()
    long_sheet(wb.active, "V01", "2025-03", [("legal_trainings", None, 1)])
    path = save(wb, name)
    edit(path, sheet_part(1), lambda xml: xml.replace("</worksheet>", " " * BOMB_BYTES + "</worksheet>"))
    write_expect(
        name,
        EDITED,
        "long",
        "rejected",
        errors=[{"code": "UNREADABLE_WORKBOOK", "cell": None}],
        notes=(
            f"A valid workbook whose sheet XML inflates to about {BOMB_BYTES // 1_000_000} MB (whitespace before "
            "</worksheet>, well-formed XML) from a few dozen KB: over the 50 MiB limit on the unpacked workbook, "
            "refused as a whole while inflating, never parsed."
        ),
    )


def main():
    many_sheets()
    huge_dimension()
    truncated()
    zip_bomb()
