"""Expectations of the workbooks `soffice --convert-to xlsx` made from CSV files (make.sh converts them).

The good CSV fixtures opened in Calc and saved as .xlsx count what the CSV counts
(tests/unit/fixtures.test.ts states those figures).
"""

import os

from common import submission, write_expect

MADE_BY = os.environ.get("CUNBAO_LO_VERSION", "LibreOffice")
HOW = "soffice --headless --infilter=CSV:44,34,76,1 --convert-to xlsx"


def long_codes():
    name = "lo-csv-long-codes.xlsx"
    values = {
        "legal_literates": 12,
        "law_study_sessions": 2,
        "law_study_attendance": 36,
        "general_hazards_found": 5,
        "hazards_rectified": 5,
        "leaflets_distributed": 1000,
        "disputes_resolved": 3,
        "disputes_resolved.labor": 2,
        "disputes_resolved.family": 1,
        "petitions_received": 3,
        "petitions_closed": 3,
    }
    write_expect(
        name,
        MADE_BY,
        "long",
        "accepted",
        sheet="lo-csv-long-codes",
        submissions=[
            submission("V03", "2025-03", values, cleared=["emergency_plans_revised"], implied=["disputes_resolved"])
        ],
        notes=(
            f"tests/fixtures/good/long-codes-utf8-lf.csv converted by {HOW} (the sheet is named after the file). "
            "Calc keeps the month 2025/3 as text, turns \"1,000\" and the 合计 \"1,069\" into numbers, and keeps the "
            "empty line as the empty row 8. It counts what the CSV counts, the blank value of row 13 a clear."
        ),
    )


def wide_codes():
    name = "lo-csv-wide-codes.xlsx"
    v01 = {
        "legal_literates": 20,
        "general_hazards_found": 8,
        "hazards_rectified": 6,
        "disputes_resolved": 3,
        "disputes_resolved.labor": 1,
        "disputes_resolved.other": 2,
        "petitions_received": 4,
        "petitions_closed": 4,
        "veteran_aid_yuan": 2500,
    }
    v02 = {
        "legal_literates": 9,
        "general_hazards_found": 3,
        "hazards_rectified": 3,
        "disputes_resolved": 0,
        "disputes_resolved.labor": 0,
        "petitions_received": 1,
        "petitions_closed": 0,
        "veteran_aid_yuan": 800,
    }
    write_expect(
        name,
        MADE_BY,
        "wide",
        "accepted",
        sheet="lo-csv-wide-codes",
        submissions=[
            submission("V01", "2025-03", v01, implied=["disputes_resolved"]),
            submission("V02", "2025-03", v02, cleared=["disputes_resolved.other"], implied=["disputes_resolved"]),
        ],
        notes=(
            f"tests/fixtures/good/wide-codes-utf8-lf.csv converted by {HOW}: code headers with categories, two "
            "units, months 2025-03 and 2025/3 (text), \"2,500.00\" now the number 2500, an empty row 3, a blank "
            "category G4 (a clear), a 合计 row. It counts what the CSV counts."
        ),
    )


if __name__ == "__main__":
    long_codes()
    wide_codes()
