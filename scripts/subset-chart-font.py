#!/usr/bin/env python3
"""The chart font shipped with the project (assets/fonts/): Noto Sans CJK SC Regular
(SIL Open Font License 1.1, Debian's fonts-noto-cjk) cut to what a chart can say — every
character of GB2312 (its 6 763 hanzi, punctuation, full-width forms), ASCII and the few
symbols the charts draw. The .docx's PNG fallback is rasterized with it (shared/charts/png.ts):
Lambda has no CJK font. Run again only to change the set: python3 scripts/subset-chart-font.py
(needs fonttools: apt-get install python3-fonttools)."""
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = Path('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')
TARGET = Path(__file__).resolve().parent.parent / 'assets' / 'fonts' / 'NotoSansSC-chart-subset.otf'
SC = 2  # the collection's Noto Sans CJK SC


def gb2312() -> str:
    chars = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes([high, low]).decode('gb2312'))
            except UnicodeDecodeError:
                pass
    return ''.join(chars)


def main() -> int:
    font = TTCollection(str(SOURCE)).fonts[SC]
    text = gb2312() + ''.join(chr(c) for c in range(0x20, 0x7F)) + '×÷±·—–…‰℃％（）：；，。、“”‘’《》【】〔〕'
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False
    options.name_languages = ['*']
    options.layout_features = ['kern', 'palt', 'vert']
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(TARGET))
    print(f'{TARGET}: {TARGET.stat().st_size} bytes, {len(set(text))} characters')
    return 0


if __name__ == '__main__':
    sys.exit(main())
