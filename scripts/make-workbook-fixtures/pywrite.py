"""What the openpyxl generators share: the writer's name, the output path, the long layout."""

import os

import openpyxl

from common import LONG_CODES, OUT_DIR

OPENPYXL = f"openpyxl {openpyxl.__version__}"
EDITED = f"{OPENPYXL}, XML edited with python zipfile"


def out(name):
    return os.path.join(OUT_DIR, name)


def save(wb, name):
    wb.save(out(name))
    return out(name)


def long_sheet(ws, unit, period, rows):
    """Long layout with English code headers; a row is (code, label, value); values may be None."""
    ws.append(LONG_CODES)
    for code, text, value in rows:
        ws.append([unit, period, code, text, value, None])
