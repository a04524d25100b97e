"""The workbooks LibreOffice Calc makes (via UNO), each with its expectations file.

Run by make.sh with Debian's python3 (which has `uno`) while soffice listens on the pipe.
"""

import os

from calc import XLS, Date, Formula, Text, Workbook, connect, version
from common import LONG_LABELS, OUT_DIR, cell, label, late, submission, with_disputes_total, write_expect

MADE_BY = version()
JAN, FEB, MAR = 45658, 45689, 45717  # 2025-01-01, 2025-02-01, 2025-03-01 (1900 date system)


def out(name):
    return os.path.abspath(os.path.join(OUT_DIR, name))


# 1. The long template as a secretary dresses it up: title, 填报单位 line, merged unit and month, hidden rows, 合计.

LONG_MERGED_ROWS = [
    ("legal_literates", 5, None),
    ("law_study_sessions", 2, None),
    ("law_study_attendance", 30, "含村“两委”干部"),
    ("major_hazards_found", None, None),  # hidden: a template row she had no figure for
    ("general_hazards_found", 3, None),
    ("hazards_rectified", 3, "已全部整改"),
    ("disputes_resolved.labor", 1, None),
    ("disputes_resolved.family", 2, None),
    ("leaflets_distributed", 120, None),  # hidden: a figure she hid, still in the 合计 she sees
    ("petitions_received", 1, None),
    ("petitions_closed", 1, None),
]
LONG_MERGED_VALUES = with_disputes_total(
    {key: v for key, v, _ in LONG_MERGED_ROWS if v is not None},
)


def fill_long_merged(wb, sheet="Sheet1"):
    wb.put(sheet, 1, ["鹅池镇法治建设月报表"])
    wb.put(sheet, 2, ["填报单位：石柱村（V03）　　填报月份：2025年3月"])
    wb.put(sheet, 3, LONG_LABELS)
    first = 4
    for i, (key, value, note) in enumerate(LONG_MERGED_ROWS):
        head = ["V03", "2025年3月"] if i == 0 else [None, None]
        wb.put(sheet, first + i, head + [None, label(key), value, note])
    last = first + len(LONG_MERGED_ROWS) - 1
    wb.put(sheet, last + 1, ["合计", None, None, None, Formula(f"=SUM(E{first}:E{last})")])
    wb.merge(sheet, "A1:F1")
    wb.merge(sheet, "A2:F2")
    wb.merge(sheet, f"A{first}:A{last}")
    wb.merge(sheet, f"B{first}:B{last}")
    wb.hide_row(sheet, first + 3)  # 排查重大事故隐患, blank
    wb.hide_row(sheet, first + 8)  # 发放宣传资料, 120
    wb.widths(sheet, [20, 22, 14, 60, 14, 30])


def long_merged(desktop):
    name = "lo-long-labels-merged.xlsx"
    wb = Workbook(desktop, "Sheet1")
    fill_long_merged(wb)
    wb.store(out(name))
    wb.close()
    write_expect(
        name,
        MADE_BY,
        "long",
        "accepted",
        sheet="Sheet1",
        submissions=[
            submission(
                "V03", "2025-03", LONG_MERGED_VALUES, cleared=["major_hazards_found"], implied=["disputes_resolved"]
            )
        ],
        notes=(
            "Long layout, Chinese headers on row 3 below a title merged over A1:F1 (鹅池镇法治建设月报表) and a "
            "填报单位 line merged over A2:F2; the code column empty, labels with unit of measure; the unit V03 and "
            "the month 2025年3月 each merged down over the data rows A4:A14 and B4:B14 (the value is in the first "
            "cell only). Hidden rows are data as people make them, read like visible rows, as Excel's own "
            "Save as CSV and its SUM read them: row 7 (排查重大事故隐患, blank: a template row she hid, a clear as "
            "any blank long row is) and row 12 (发放宣传资料 120, counted: the 合计 she sees, =SUM(E4:E14) = 168 on "
            "row 15, includes it). The 合计 row is not data. Categories alone: the dispute total is their sum."
        ),
    )


# 2. Wide layout, code headers, three months of one unit: real dates, then date serials shown as numbers.

WIDE_DATE_KEYS = [
    "general_hazards_found",
    "hazards_rectified",
    "emergency_drills",
    "disputes_resolved.labor",
    "disputes_resolved.other",
    "petitions_received",
    "petitions_closed",
    "veteran_aid_yuan",
]
WIDE_DATE_ROWS = [
    (JAN, "2025-01", [2, 1, 0, 1, 0, 1, 1, 500]),
    (FEB, "2025-02", [1, 2, 1, 0, 1, 0, 0, 1200.5]),
    (MAR, "2025-03", [3, 3, 0, 2, 1, 2, 1, 0]),
]


def wide_dates(desktop, name, unit, as_dates):
    wb = Workbook(desktop, "Sheet1")
    wb.put("Sheet1", 1, ["unit", "period", *WIDE_DATE_KEYS])
    for i, (serial, _, values) in enumerate(WIDE_DATE_ROWS):
        month = Date(serial) if as_dates else serial
        wb.put("Sheet1", 2 + i, [unit, month, *values])
    wb.number_format("Sheet1", "J2:J4", "0.00")
    wb.widths("Sheet1", [14, 16] + [28] * len(WIDE_DATE_KEYS))
    wb.store(out(name))
    wb.close()
    subs = [
        submission(unit, period, with_disputes_total(dict(zip(WIDE_DATE_KEYS, values))), implied=["disputes_resolved"])
        for _, period, values in WIDE_DATE_ROWS
    ]
    how = (
        "real date cells (the serials 45658, 45689, 45717 with the number format YYYY-MM, shown 2025-01 … 2025-03)"
        if as_dates
        else "date serials 45658, 45689, 45717 in General format (shown as plain numbers, 1900 date system)"
    )
    write_expect(
        name,
        MADE_BY,
        "wide",
        "accepted",
        sheet="Sheet1",
        submissions=subs,
        warnings=[late(cell("Sheet1", 1, 2)), late(cell("Sheet1", 1, 3))],
        notes=(
            f"Wide layout with code headers, three months of {unit} (one submission per row); the month column holds "
            f"{how}. Money 1200.5 shown as 1200.50; a veteran aid of 0 is a value (none), not a blank. Categories "
            "alone: the dispute total is their sum. January and February are past their deadlines on 2025-04-03: "
            "LATE at their month cells."
        ),
    )


# 3. Numbers stored as text (Excel's green triangle), and formulas whose cached values are the figures.


def numbers_as_text(desktop):
    name = "lo-numbers-as-text.xlsx"
    rows = [
        ("legal_literates", Text("15"), 15),
        ("law_study_attendance", Text("28"), 28),
        ("general_hazards_found", Text("4"), 4),
        ("hazards_rectified", Text("4"), 4),
        ("leaflets_distributed", Text("1,000"), 1000),
        ("food_units_inspected", Text("６"), 6),
        ("veteran_aid_yuan", Text("1500.50"), 1500.5),
        ("petitions_received", 2, 2),
    ]
    wb = Workbook(desktop, "Sheet1")
    wb.put("Sheet1", 1, LONG_LABELS)
    for i, (key, typed, _) in enumerate(rows):
        wb.put("Sheet1", 2 + i, [Text("V04"), Text("2025-03"), key, label(key), typed])
    wb.widths("Sheet1", [14, 14, 40, 60, 14, 20])
    wb.store(out(name))
    wb.close()
    write_expect(
        name,
        MADE_BY,
        "long",
        "accepted",
        sheet="Sheet1",
        submissions=[submission("V04", "2025-03", {key: v for key, _, v in rows})],
        notes=(
            "Long layout, Chinese headers, code and label both filled. The unit, the month and the values E2:E8 "
            "are text cells (number format @, shared strings) holding numbers: '15', '1,000' (a thousands "
            "separator), '６' (full-width), '1500.50' (money); they read as the CSV reader reads the same text. "
            "E9 is a real number, beside them."
        ),
    )


def formulas(desktop):
    name = "lo-formulas.xlsx"
    rows = [
        ("general_hazards_found", Formula("=2+3"), 5),
        ("hazards_rectified", Formula("=E2"), 5),
        ("disputes_resolved.labor", 2, 2),
        ("disputes_resolved.other", 1, 1),
        ("disputes_resolved", Formula("=SUM(E4:E5)"), 3),
        ("veteran_aid_yuan", Formula("=1000+234.5"), 1234.5),
        ("legal_literates", Formula("=ROUND(14/3;0)"), 5),
        ("petitions_received", Formula("=IF(E2>0;2;0)"), 2),
    ]
    wb = Workbook(desktop, "Sheet1")
    wb.put("Sheet1", 1, LONG_LABELS)
    for i, (key, value, _) in enumerate(rows):
        r = 2 + i
        unit = "V08" if r == 2 else Formula(f"=A{r - 1}")
        month = Formula("=DATE(2025;3;1)") if r == 2 else Formula(f"=B{r - 1}")
        wb.put("Sheet1", r, [unit, month, None, label(key), value])
    last = 1 + len(rows)
    wb.put("Sheet1", last + 1, ["合计", None, None, None, Formula(f"=SUM(E2:E{last})")])
    # Calc gives a DATE() result its own format when it first computes it: compute, then format.
    wb.doc.calculateAll()
    wb.number_format("Sheet1", f"B2:B{last}", "YYYY-MM")
    wb.number_format("Sheet1", "E7", "0.00")
    wb.widths("Sheet1", [14, 14, 10, 60, 14, 10])
    wb.store(out(name))
    wb.close()
    write_expect(
        name,
        MADE_BY,
        "long",
        "accepted",
        sheet="Sheet1",
        submissions=[submission("V08", "2025-03", {key: v for key, _, v in rows})],
        notes=(
            "Formulas everywhere, read by their cached values: the unit A3:A9 =A2 (string results, t=\"str\"), "
            "the month B2 =DATE(2025;3;1) and B3:B9 =B2 formatted YYYY-MM (date serial 45717), values =2+3, =E2, "
            "=SUM(E4:E5) (the dispute total, stated and equal to its categories), =1000+234.5 (money 1234.5), "
            "=ROUND(14/3;0), =IF(E2>0;2;0); a 合计 row =SUM(E2:E9) = 1257.5, not data."
        ),
    )


# 4, 5. The sheet of 1 encrypted, and saved as Excel 97.


def encrypted(desktop):
    name = "lo-encrypted.xlsx"
    wb = Workbook(desktop, "Sheet1")
    fill_long_merged(wb)
    wb.store(out(name), password="cunbao")
    wb.close()
    write_expect(
        name,
        MADE_BY,
        "long",
        "rejected",
        errors=[{"code": "UNREADABLE_WORKBOOK", "cell": None}],
        notes=(
            "The sheet of lo-long-labels-merged.xlsx saved with a password to open (password: cunbao). The file "
            "is an OLE compound file (D0 CF 11 E0) holding the streams EncryptionInfo (Standard, AES) and "
            "EncryptedPackage, not a ZIP: refused as a whole, telling her to save it without a password."
        ),
    )


def legacy_xls(desktop):
    name = "lo-legacy.xls"
    wb = Workbook(desktop, "Sheet1")
    fill_long_merged(wb)
    wb.store(out(name), XLS)
    wb.close()
    write_expect(
        name,
        MADE_BY,
        "long",
        "rejected",
        errors=[{"code": "UNREADABLE_WORKBOOK", "cell": None}],
        submissionsIfRead=[
            submission(
                "V03", "2025-03", LONG_MERGED_VALUES, cleared=["major_hazards_found"], implied=["disputes_resolved"]
            )
        ],
        notes=(
            "The sheet of lo-long-labels-merged.xlsx saved as Excel 97-2003 (.xls, BIFF8 in an OLE compound file "
            "with a Workbook stream). The contract reads .xls only where a library reads it safely; with no such "
            "library (fflate reads ZIP only) it is refused as a whole, telling her to save it as .xlsx. A reader "
            "that does read .xls must count submissionsIfRead, the figures of lo-long-labels-merged.xlsx."
        ),
    )


# 6. Where the data sheet is: after an instructions sheet, and on a sheet named like the template's.

INSTRUCTIONS = [
    "填表说明",
    "1. 每月5日前报送上月数据，数据填在本工作簿的第二张表中。",
    "2. 单位代码请填写本单位代码（如 V02），月份请按 2025-03 的格式填写。",
    "3. 数值栏只填数字：没有发生的事项填 0，未统计的留空。",
    "4. 排查化解矛盾纠纷可只填各分类，合计自动计算。",
    "5. 发放优抚对象“解三难”补助资金单位为元，最多保留2位小数。",
]


def instructions_first(desktop):
    name = "lo-instructions-first.xlsx"
    rows = [
        ("rule_of_law_meetings", 1),
        ("leadership_law_study", 1),
        ("stability_meetings", 1),
        ("stability_issues_logged", 2),
        ("visitors_received", 12),
        ("visitor_issues_resolved", 5),
    ]
    wb = Workbook(desktop, "填表说明", "数据")
    wb.rows("填表说明", 1, [[line] for line in INSTRUCTIONS])
    wb.widths("填表说明", [160])
    wb.put("数据", 1, LONG_LABELS)
    for i, (key, v) in enumerate(rows):
        wb.put("数据", 2 + i, ["V02", Text("2025-03"), key, label(key), v])
    wb.widths("数据", [14, 14, 40, 60, 14, 10])
    wb.store(out(name))
    wb.close()
    write_expect(
        name,
        MADE_BY,
        "long",
        "accepted",
        sheet="数据",
        submissions=[submission("V02", "2025-03", dict(rows))],
        notes=(
            "Two sheets: the first, 填表说明, holds instructions as sentences in column A (no header: no cell is a "
            "column name by itself); the second, 数据, the long layout with code and label both filled. The data "
            "is read from the first sheet whose header is recognised: 数据, and findings would name it (数据!E2)."
        ),
    )


REPORT_KEYS = [
    "legal_literates",
    "law_study_sessions",
    "general_hazards_found",
    "hazards_rectified",
    "leaflets_distributed",
    "disputes_resolved.labor",
    "disputes_resolved.family",
    "petitions_received",
    "petitions_closed",
]
REPORT_FILLED = {
    "V01": [20, 2, 6, 6, 300, 1, 0, 1, 1],
    "V02": [8, 1, 2, 2, 150, 0, 1, 0, 0],
    "V05": [9, 0, 1, 1, 80, 1, 1, 2, 2],
}
TOWN_UNITS = [
    ("V01", "鹅池社区"),
    ("V02", "南溪村"),
    ("V03", "石柱村"),
    ("V04", "红岩村"),
    ("V05", "新建村"),
    ("V06", "青山村"),
    ("V07", "杉岭村"),
    ("V08", "大坪社区"),
    ("TOWN", "鹅池镇本级"),
]


def monthly_report_sheet(desktop):
    name = "lo-sheet-monthly-report.xlsx"
    wb = Workbook(desktop, "封面", "月报表")
    wb.rows("封面", 1, [["鹅池镇法治建设月报表"], [], ["填报单位：鹅池镇人民政府"], ["报送月份：2025年3月"], ["填报人："], ["联系电话："]])
    wb.widths("封面", [80])
    wb.put("月报表", 1, ["单位代码", "单位名称", "月份", *[label(k) for k in REPORT_KEYS]])
    for i, (code, unit_name) in enumerate(TOWN_UNITS):
        wb.put("月报表", 2 + i, [code, unit_name, Text("2025-03"), *REPORT_FILLED.get(code, [])])
    wb.widths("月报表", [14, 20, 14] + [36] * len(REPORT_KEYS))
    wb.store(out(name))
    wb.close()
    subs = [
        submission(code, "2025-03", with_disputes_total(dict(zip(REPORT_KEYS, values))), implied=["disputes_resolved"])
        for code, values in REPORT_FILLED.items()
    ]
    write_expect(
        name,
        MADE_BY,
        "wide",
        "accepted",
        sheet="月报表",
        submissions=subs,
        notes=(
            "A town's workbook: a cover sheet 封面 (title, 填报单位, 报送月份, 填报人, 联系电话 as lines, no header) "
            "then the sheet 月报表, named like the template's, holding the wide template (单位代码, 单位名称, 月份, "
            "labels with unit of measure) for the town's nine units, filled in for V01, V02 and V05: the unfilled "
            "rows are no submissions. Both rules (first recognised header, the template's sheet name) pick 月报表."
        ),
    )


def main():
    desktop = connect()
    try:
        long_merged(desktop)
        wide_dates(desktop, "lo-wide-codes-dates.xlsx", "V07", as_dates=True)
        wide_dates(desktop, "lo-wide-codes-serials.xlsx", "V06", as_dates=False)
        numbers_as_text(desktop)
        formulas(desktop)
        encrypted(desktop)
        legacy_xls(desktop)
        instructions_first(desktop)
        monthly_report_sheet(desktop)
    finally:
        desktop.terminate()


if __name__ == "__main__":
    main()
