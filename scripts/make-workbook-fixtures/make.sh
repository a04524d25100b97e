#!/usr/bin/env bash
# Regenerates the workbook fixtures under tests/fixtures/xlsx/ (see its README.md):
#   1. the catalogue and the seed year's CSV files, from the TypeScript sources (tsx);
#   2. the LibreOffice Calc workbooks, built over UNO (lo_fixtures.py) while soffice listens;
#   3. CSV files converted by `soffice --convert-to xlsx`: two good CSV fixtures, the seed year;
#   4. the openpyxl workbooks, some with their XML edited (py_fixtures.py, py_limits.py).
#
# Needs: soffice (libreoffice-calc-nogui), Debian's python3 with python3-uno and python3-openpyxl
# (apt-get install -y --no-install-recommends python3-uno python3-openpyxl), node with tsx.
# Usage: bash scripts/make-workbook-fixtures/make.sh [seed-year]   (default 2008, as year.test.ts)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
year="${1:-2008}"
py=/usr/bin/python3 # the interpreter Debian's python3-uno is built for, whatever python3 is first on PATH
out="$repo/tests/fixtures/xlsx"
work="$(mktemp -d /tmp/cunbao-workbook-fixtures.XXXXXX)"
profile="file://$work/profile" # a LibreOffice profile of our own: never the user's, never shared
pipe="cunbao_workbook_fixtures_$$"
soffice_pid=""

cleanup() {
  if [ -n "$soffice_pid" ] && kill -0 "$soffice_pid" 2>/dev/null; then kill "$soffice_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

command -v soffice >/dev/null || { echo "make.sh: soffice missing (apt-get install libreoffice-calc-nogui)" >&2; exit 1; }
"$py" -c 'import uno, openpyxl' 2>/dev/null || {
  echo "make.sh: $py lacks uno or openpyxl (apt-get install python3-uno python3-openpyxl)" >&2
  exit 1
}

lo_version="$(soffice --version 2>/dev/null | awk 'NF { print $1, $2; exit }')"
openpyxl_version="$("$py" -c 'import openpyxl; print(openpyxl.__version__)')"
echo "make.sh: $lo_version, openpyxl $openpyxl_version, seed year $year"
export PYTHONDONTWRITEBYTECODE=1 XLSX_OUT="$out" XLSX_WORK="$work" CUNBAO_LO_VERSION="$lo_version" CUNBAO_SOFFICE_PIPE="$pipe"

# Only what this script makes is replaced: README.md stays.
rm -rf "$out/seed"
rm -f "$out"/lo-* "$out"/py-*
mkdir -p "$out/seed"

# 1. From the TypeScript sources.
(cd "$repo" && npx tsx "$here/export-from-ts.mts" "$work" "$year")

# 2. Calc over UNO. lo_fixtures.py terminates the office when it is done.
soffice --headless --invisible --nologo --norestore --nodefault "-env:UserInstallation=$profile" \
  "--accept=pipe,name=$pipe;urp;" >/dev/null 2>&1 &
soffice_pid=$!
(cd "$here" && "$py" lo_fixtures.py)
wait "$soffice_pid" || true
soffice_pid=""

# 3. soffice --convert-to: UTF-8 CSV, comma, double quote, from line 1; the sheet is named after the file.
convert() { # <outdir> <csv>...
  local dir="$1"
  shift
  soffice --headless --norestore "-env:UserInstallation=$profile" --infilter="CSV:44,34,76,1" \
    --convert-to xlsx --outdir "$dir" "$@" >/dev/null 2>&1
}
mkdir -p "$work/csv"
cp "$repo/tests/fixtures/good/long-codes-utf8-lf.csv" "$work/csv/lo-csv-long-codes.csv"
cp "$repo/tests/fixtures/good/wide-codes-utf8-lf.csv" "$work/csv/lo-csv-wide-codes.csv"
convert "$out" "$work/csv"/*.csv
(cd "$here" && "$py" lo_converted.py)
convert "$out/seed" "$work/seed"/*.csv
cp "$work/seed/manifest.json" "$out/seed/manifest.json"

# 4. openpyxl (py-truncated.xlsx is cut from py-shared-strings.xlsx, made before it).
(cd "$here" && "$py" py_fixtures.py)

made=$(find "$out" -name '*.xls*' | wc -l)
seeds=$(find "$out/seed" -name '*.xlsx' | wc -l)
echo "make.sh: $made workbooks in $out ($seeds of them the seed year in seed/)"
