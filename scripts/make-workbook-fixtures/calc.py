"""Driving LibreOffice Calc over UNO: connect, fill cells as a person would, store as .xlsx or .xls.

make.sh starts `soffice --headless --accept=pipe,name=<PIPE>` with a profile of its own; this
module connects to that pipe. Only Debian's /usr/bin/python3 has the `uno` module.
"""

import os
import time

import uno
from com.sun.star.beans import NamedValue, PropertyValue
from com.sun.star.lang import Locale

PIPE = os.environ.get("CUNBAO_SOFFICE_PIPE", "cunbao_workbook_fixtures")
XLSX = "Calc MS Excel 2007 XML"
XLS = "MS Excel 97"


def _prop(name, value, kind=PropertyValue):
    p = kind()
    p.Name = name
    p.Value = value
    return p


def connect(timeout_s=60):
    """The Desktop of the running soffice, waiting for it to listen."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.time() + timeout_s
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={PIPE};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            if time.time() > deadline:
                raise
            time.sleep(0.5)


class Text(str):
    """A number typed into a cell formatted as text (Excel's green triangle): stored as a string."""


class Formula(str):
    """A formula in Calc's API syntax (`=SUM(E4:E9)`, `;` between arguments); its value is cached on save."""


class Date(float):
    """A date cell: the 1900-system serial, shown with `fmt` (default YYYY-MM)."""

    def __new__(cls, serial, fmt="YYYY-MM"):
        obj = super().__new__(cls, serial)
        obj.fmt = fmt
        return obj


class Workbook:
    """A new Calc document whose sheets are named and filled row by row (rows are 1-based)."""

    def __init__(self, desktop, *sheet_names):
        self.doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (_prop("Hidden", True),))
        sheets = self.doc.Sheets
        sheets.getByIndex(0).Name = sheet_names[0]
        for i, name in enumerate(sheet_names[1:], start=1):
            sheets.insertNewByName(name, i)
        self._locale = Locale("en", "US", "")

    def sheet(self, name):
        return self.doc.Sheets.getByName(name)

    def _format(self, code):
        formats = self.doc.NumberFormats
        key = formats.queryKey(code, self._locale, False)
        return key if key != -1 else formats.addNew(code, self._locale)

    def put(self, sheet, row, values, first_col=0):
        """Fills one row from column `first_col`: str, int/float, Text, Formula, Date; None leaves a cell empty."""
        sh = self.sheet(sheet)
        for i, v in enumerate(values):
            if v is None:
                continue
            c = sh.getCellByPosition(first_col + i, row - 1)
            if isinstance(v, Formula):
                c.setFormula(str(v))
            elif isinstance(v, Text):
                c.NumberFormat = self._format("@")
                c.setString(str(v))
            elif isinstance(v, Date):
                c.setValue(float(v))
                c.NumberFormat = self._format(v.fmt)
            elif isinstance(v, str):
                c.setString(v)
            else:
                c.setValue(v)

    def rows(self, sheet, first_row, rows):
        for i, values in enumerate(rows):
            self.put(sheet, first_row + i, values)

    def number_format(self, sheet, ref, code):
        self.sheet(sheet).getCellRangeByName(ref).NumberFormat = self._format(code)

    def merge(self, sheet, ref):
        self.sheet(sheet).getCellRangeByName(ref).merge(True)

    def hide_row(self, sheet, row):
        self.sheet(sheet).Rows.getByIndex(row - 1).IsVisible = False

    def widths(self, sheet, widths_mm):
        """Column widths in millimetres, so that a person opening the file can read it."""
        columns = self.sheet(sheet).Columns
        for i, w in enumerate(widths_mm):
            columns.getByIndex(i).Width = int(w * 100)

    def store(self, path, filter_name=XLSX, password=None):
        props = [_prop("FilterName", filter_name), _prop("Overwrite", True)]
        if password is not None and filter_name == XLSX:
            # OOXML encryption (an OLE file with EncryptionInfo + EncryptedPackage) needs a CryptoType.
            data = (_prop("OOXPassword", password, NamedValue), _prop("CryptoType", "Standard", NamedValue))
            props.append(_prop("EncryptionData", uno.Any("[]com.sun.star.beans.NamedValue", data)))
            uno.invoke(self.doc, "storeToURL", (uno.systemPathToFileUrl(path), uno.Any("[]com.sun.star.beans.PropertyValue", tuple(props))))
            return
        if password is not None:
            props.append(_prop("Password", password))
        self.doc.storeToURL(uno.systemPathToFileUrl(path), tuple(props))

    def close(self):
        self.doc.close(True)


def version():
    """`LibreOffice 7.4.7.2`: make.sh reads it from `soffice --version`."""
    return os.environ.get("CUNBAO_LO_VERSION", "LibreOffice")
