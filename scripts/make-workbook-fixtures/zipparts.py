"""Editing the XML inside a saved .xlsx with zipfile: what other writers put there that openpyxl does not.

openpyxl 3.0 writes every string inline (`t="inlineStr"`, CJK as numeric character references),
every cell with its `r`, and formulas without cached values. These helpers turn its output into
shared strings, rich text, cached formula results and cells without `r`.
"""

import re
import zipfile
from xml.sax.saxutils import escape

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def read_parts(path):
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def write_parts(path, parts):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def edit(path, name, change):
    """Rewrites one part (`xl/worksheets/sheet1.xml`) through `change(text) -> text`."""
    parts = read_parts(path)
    parts[name] = change(parts[name].decode("utf-8")).encode("utf-8")
    write_parts(path, parts)


def sheet_part(index):
    return f"xl/worksheets/sheet{index}.xml"


_CELL = r'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)'


def replace_cell(xml, ref, new_cell):
    """Replaces the cell `ref` (which must exist) by the given XML."""
    pattern = re.compile(_CELL.format(ref=re.escape(ref)), re.S)
    out, n = pattern.subn(lambda _: new_cell, xml, count=1)
    if n != 1:
        raise ValueError(f"no cell {ref}")
    return out


def to_shared_strings(path, rich=None):
    """
    Moves every inline string of every sheet into xl/sharedStrings.xml (`t="s"`), as Excel and
    LibreOffice write them. `rich` maps a plain text to the `<si>` content that replaces it
    (runs, phonetic runs), so that a reader must concatenate runs and skip `<rPh>`.
    """
    rich = rich or {}
    parts = read_parts(path)
    strings, index = [], {}
    inline = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', re.S)

    def share(m):
        content = m.group(3)
        if content not in index:
            index[content] = len(strings)
            strings.append(content)
        return f'<c {m.group(1)}t="s"{m.group(2)}><v>{index[content]}</v></c>'

    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = inline.sub(share, parts[name].decode("utf-8")).encode("utf-8")
    items = []
    for content in strings:
        plain = _plain(content)
        # Excel writes the text itself (UTF-8), not openpyxl's &#25490; references.
        if plain in rich:
            content = rich[plain]
        elif plain is not None:
            content = f"<t>{escape(plain)}</t>"
        items.append(f"<si>{content}</si>")
    n = len(items)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{SHEET_NS}" count="{n}" uniqueCount="{n}">'
        + "".join(items)
        + "</sst>"
    ).encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'
    parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    rel = f'<Relationship Type="{SST_REL}" Target="sharedStrings.xml" Id="rIdSst"/>'
    parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")
    write_parts(path, parts)


def _plain(content):
    """The text of `<t>…</t>` (openpyxl writes CJK as `&#25490;`), unescaped."""
    m = re.fullmatch(r"<t(?: [^>]*)?>(.*)</t>", content, re.S)
    if not m:
        return None
    text = re.sub(r"&#(\d+);", lambda e: chr(int(e.group(1))), m.group(1))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def rich_inline(path, sheet, rich):
    """Replaces inline strings of a sheet whose text is a key of `rich` by the given `<is>` content."""

    def change(xml):
        def sub(m):
            plain = _plain(m.group(3))
            return f'<c {m.group(1)}t="inlineStr"{m.group(2)}><is>{rich[plain]}</is></c>' if plain in rich else m.group(0)

        return re.sub(r'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', sub, xml, flags=re.S)

    edit(path, sheet_part(sheet), change)


def strip_refs(xml, keep_rows=(), keep_cells=()):
    """Drops the `r` of rows and cells (allowed by the schema: positions follow the order), except those kept."""

    def row(m):
        return m.group(0) if m.group(1) in keep_rows else "<row"

    def cell(m):
        return m.group(0) if m.group(1) in keep_cells else "<c"

    xml = re.sub(r'<row r="(\d+)"', row, xml)
    return re.sub(r'<c r="([A-Z]+\d+)"', cell, xml)
