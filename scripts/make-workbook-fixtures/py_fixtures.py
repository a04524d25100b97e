"""The workbooks other writers produce (openpyxl, then XML edited with zipfile), each with its expectations.

Run by make.sh with Debian's python3 (python3-openpyxl).
"""

import datetime

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

import py_limits
from common import cell, label, late, submission, with_disputes_total, write_expect
from pywrite import EDITED, OPENPYXL, long_sheet, save
from zipparts import edit, replace_cell, rich_inline, sheet_part, strip_refs, to_shared_strings


# 1, 2. The same sheet with inline strings (openpyxl's own) and with shared strings (Excel's, LibreOffice's).

STRINGS_ROWS = [
    (None, label("general_hazards_found"), 2),
    (None, label("hazards_rectified"), 2),
    ("emergency_drills", None, 1),
    ("gas_issues_rectified", None, 3),
    ("gas_alarms_installed", None, 4),
    ("rcd_installed", None, 25),
    ("rectification_notices", None, 1),
    ("disputes_resolved.land_transfer", None, 1),
]
STRINGS_VALUES = with_disputes_total(
    {
        "general_hazards_found": 2,
        "hazards_rectified": 2,
        "emergency_drills": 1,
        "gas_issues_rectified": 3,
        "gas_alarms_installed": 4,
        "rcd_installed": 25,
        "rectification_notices": 1,
        "disputes_resolved.land_transfer": 1,
    }
)
# Rich text: a label in two runs (the first bold) with a phonetic run that is not part of the text,
# and the header `value` in two runs. A reader that joins every <t> reads 排查一般隐患(处)páichá.
RICH = {
    label("general_hazards_found"): (
        '<r><rPr><b/><sz val="11"/></rPr><t>排查一般隐患</t></r><r><t>(处)</t></r>'
        '<rPh sb="0" eb="2"><t>páichá</t></rPh><phoneticPr fontId="0" type="noConversion"/>'
    ),
    "value": "<r><t>val</t></r><r><rPr><i/></rPr><t>ue</t></r>",
}


def strings(shared):
    name = "py-shared-strings.xlsx" if shared else "py-inline-strings.xlsx"
    wb = openpyxl.Workbook()
    long_sheet(wb.active, "V05", "2025-03", STRINGS_ROWS)
    path = save(wb, name)
    if shared:
        to_shared_strings(path, rich=RICH)
    else:
        rich_inline(path, 1, RICH)
    how = (
        "shared strings (t=\"s\", xl/sharedStrings.xml), as Excel and LibreOffice write them"
        if shared
        else "inline strings only (t=\"inlineStr\", CJK as numeric character references &#25490;…), no sharedStrings part"
    )
    write_expect(
        name,
        EDITED,
        "long",
        "accepted",
        sheet="Sheet",
        submissions=[submission("V05", "2025-03", STRINGS_VALUES, implied=["disputes_resolved"])],
        notes=(
            f"Long layout, English headers, every string as {how}. Rich text: the label in D2 is two runs "
            "(排查一般隐患 bold, (处)) followed by a phonetic run <rPh> páichá that is not part of the text; the header "
            "E1 is two runs val + ue. Rows 2-3 give labels only (code blank), rows 4-9 codes only. "
            "py-inline-strings.xlsx and py-shared-strings.xlsx hold the same sheet and count the same."
        ),
    )


# 3. Formula results of type str, and a formula with no cached value.


def formula_str():
    name = "py-formula-str.xlsx"
    keys = [
        "ebike_joint_enforcements",
        "ebike_shops_inspected",
        "illegal_charging_cases",
        "leaflets_distributed",
        "food_hazards_found",
        "food_hazards_closed",
    ]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["unit", "period", *keys])
    ws.append(["V01", "2025-03", 0, 0, 1, 0, 0, 0])  # the formulas are put in below
    ws.append(["V02", "2025-03", 1, 1, 0, 100, 2, 2])
    path = save(wb, name)
    formulas = {
        "A2": '<c r="A2" t="str"><f>"V0"&amp;"1"</f><v>V01</v></c>',
        "B2": '<c r="B2" t="str"><f>TEXT(DATE(2025,3,1),"yyyy-mm")</f><v>2025-03</v></c>',
        "C2": '<c r="C2"><f>2+3</f><v>5</v></c>',
        "D2": '<c r="D2" t="str"><f>TEXT(4,"0")</f><v>4</v></c>',
        "F2": '<c r="F2"><f>SUM(200,300)</f><v>500</v></c>',
        "G2": '<c r="G2" t="str"><f>IF(C2&gt;99,1,"")</f><v></v></c>',
        "H2": '<c r="H2" t="n"><f>G2*0</f><v>0</v></c>',
    }

    def change(xml):
        for ref, new in formulas.items():
            xml = replace_cell(xml, ref, new)
        return xml

    edit(path, sheet_part(1), change)
    v01 = {
        "ebike_joint_enforcements": 5,
        "ebike_shops_inspected": 4,
        "illegal_charging_cases": 1,
        "leaflets_distributed": 500,
        "food_hazards_closed": 0,
    }
    write_expect(
        name,
        EDITED,
        "wide",
        "accepted",
        sheet="Sheet",
        submissions=[
            submission("V01", "2025-03", v01, cleared=["food_hazards_found"]),
            submission("V02", "2025-03", dict(zip(keys, [1, 1, 0, 100, 2, 2]))),
        ],
        notes=(
            "Wide layout, code headers. Row 2 is formulas with cached values as Excel writes them: the unit "
            "A2 =\"V0\"&\"1\" and the month B2 =TEXT(DATE(2025,3,1),\"yyyy-mm\") as string results (t=\"str\"), "
            "C2 =2+3 (5, no t), D2 =TEXT(4,\"0\") (the string 4: a number as text), F2 =SUM(200,300) (500), "
            "G2 =IF(C2>99,1,\"\") (an empty string: shown blank, so a clear of food_hazards_found), H2 =G2*0 (0). "
            "Row 3 is plain values."
        ),
    )


def formula_no_cache():
    name = "py-formula-no-cache.xlsx"
    wb = openpyxl.Workbook()
    rows = [("general_hazards_found", None, 3), ("hazards_rectified", None, "=E2")]
    long_sheet(wb.active, "V03", "2025-03", rows)
    save(wb, name)
    write_expect(
        name,
        OPENPYXL,
        "long",
        "rejected",
        errors=[{"code": "NOT_A_NUMBER", "cell": cell("Sheet", 4, 3), "value": "=E2"}],
        notes=(
            "Written by a program (openpyxl), never opened in Excel: E3 holds the formula =E2 with an empty cached "
            "value (<f>E2</f><v></v>). Excel would compute 3 on opening; the system computes no formulas. Reading "
            "it blank would silently lose a figure she sees, so the expectation is an error at the cell, value the "
            "formula as written; opening and saving the file in Excel or WPS stores the value and it is accepted. "
            "(A choice where the contract is silent: the lead may prefer UNREADABLE_WORKBOOK for the whole file.)"
        ),
    )


# 4. Booleans and errors where a number belongs.


def booleans_errors():
    name = "py-booleans-errors.xlsx"
    wb = openpyxl.Workbook()
    rows = [
        ("traffic_violations", None, 2),
        ("road_hazards_found", None, True),
        ("road_hazards_fixed", None, "#DIV/0!"),
        ("warning_signs_added", None, 1),
    ]
    long_sheet(wb.active, "V02", "2025-03", rows)
    path = save(wb, name)
    edit(path, sheet_part(1), lambda xml: replace_cell(xml, "E4", '<c r="E4" t="e"><f>E3/0</f><v>#DIV/0!</v></c>'))
    write_expect(
        name,
        EDITED,
        "long",
        "rejected",
        errors=[
            {"code": "NOT_A_NUMBER", "cell": cell("Sheet", 4, 3), "value": "TRUE"},
            {"code": "NOT_A_NUMBER", "cell": cell("Sheet", 4, 4), "value": "#DIV/0!"},
        ],
        notes=(
            "Long layout, code headers. E3 is a boolean (t=\"b\", shown TRUE) and E4 the formula =E3/0 whose cached "
            "result is the error #DIV/0! (t=\"e\"): neither is a number. Each is NOT_A_NUMBER at its cell, with the "
            "value as Excel shows it; the file is rejected."
        ),
    )


# 5. Rows and cells without `r`.


def no_r_attributes():
    name = "py-no-r-attributes.xlsx"
    keys = ["legal_literates", "general_hazards_found", "hazards_rectified", "petitions_received", "petitions_closed"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位代码", "月份", *[label(k) for k in keys]])
    ws.append(["V03", "2025-03", 6, 2, 2, 1, 1])
    ws.append([])  # row 3: blank, not written
    ws.append(["V04", "2025-03", 7, 3, 3, None, 0])  # F4 blank, not written
    ws.append(["合计", None, 13, 5, 5, 1, 1])
    path = save(wb, name)
    edit(path, sheet_part(1), lambda xml: strip_refs(xml, keep_rows={"4"}, keep_cells={"G4", "C5"}))
    write_expect(
        name,
        EDITED,
        "wide",
        "accepted",
        sheet="Sheet",
        submissions=[
            submission("V03", "2025-03", dict(zip(keys, [6, 2, 2, 1, 1]))),
            submission("V04", "2025-03", {"legal_literates": 7, "general_hazards_found": 3, "hazards_rectified": 3, "petitions_closed": 0}, cleared=["petitions_received"]),
        ],
        notes=(
            "Wide layout, Chinese labels. No row and no cell has an r attribute, except row 4 (r=\"4\") and the "
            "cells G4 and C5: positions follow the order. Rows 1-2 are the header and V03; row 3 is absent (a blank row); row 4 is "
            "V04, whose cells run A4-E4 then G4, so F4 (受理群众来信来访) is blank, a clear; the next row without r "
            "is row 5, a 合计 row whose cells are A5, then C5 (with its r) to G5."
        ),
    )


# 6. The 1904 date system.


def dates_1904():
    name = "py-1904-dates.xlsx"
    keys = ["food_units_inspected", "food_hazards_found", "food_hazards_closed"]
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["unit", "period", *keys])
    for r, (month, values) in enumerate([(2, [5, 1, 1]), (3, [6, 2, 2])], start=2):
        ws.append(["V08", datetime.datetime(2025, month, 1), *values])
        ws.cell(r, 2).number_format = "yyyy-mm"
    save(wb, name)
    write_expect(
        name,
        OPENPYXL,
        "wide",
        "accepted",
        sheet="Sheet",
        submissions=[
            submission("V08", "2025-02", dict(zip(keys, [5, 1, 1]))),
            submission("V08", "2025-03", dict(zip(keys, [6, 2, 2]))),
        ],
        warnings=[late(cell("Sheet", 1, 2))],
        notes=(
            "The 1904 date system (<workbookPr date1904=\"1\"/>, Excel for Mac): the month cells are dates formatted "
            "yyyy-mm with the serials 44227 and 44255, which are 2025-02-01 and 2025-03-01 in 1904 but would be "
            "2021-01-31 and 2021-02-28 in the 1900 system (a silent shift of four years). February is LATE."
        ),
    )


# 7. Which sheet is first.


def sheet_order():
    name = "py-sheet-order.xlsx"
    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "旧表"
    long_sheet(old, "V04", "2025-02", [("general_hazards_found", None, 9)])
    data = wb.create_sheet("数据")
    long_sheet(data, "V04", "2025-03", [("general_hazards_found", None, 2), ("hazards_rectified", None, 2)])
    path = save(wb, name)

    def swap(xml):
        first = xml[xml.index("<sheet ") : xml.index("/>", xml.index("<sheet ")) + 2]
        rest = xml.replace(first, "", 1)
        return rest.replace("</sheets>", first + "</sheets>", 1)

    edit(path, "xl/workbook.xml", swap)
    write_expect(
        name,
        EDITED,
        "long",
        "accepted",
        sheet="数据",
        submissions=[submission("V04", "2025-03", {"general_hazards_found": 2, "hazards_rectified": 2})],
        notes=(
            "The order of the sheets is the order of <sheets> in xl/workbook.xml, not of the part names: 数据 "
            "(xl/worksheets/sheet2.xml) is the first tab she sees, 旧表 (sheet1.xml, February's figures, a header "
            "that is recognised too) the second. The data is 数据's; a reader that opens sheet1.xml first counts "
            "February instead."
        ),
    )


def main():
    # py_limits.truncated cuts py-shared-strings.xlsx: made first.
    strings(shared=False)
    strings(shared=True)
    formula_str()
    formula_no_cache()
    booleans_errors()
    no_r_attributes()
    dates_1904()
    sheet_order()
    py_limits.main()


if __name__ == "__main__":
    main()
