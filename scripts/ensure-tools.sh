#!/usr/bin/env bash
# What `npm test` and `npm start` need from the machine, ensured before they run:
#   java      a Java runtime for DynamoDB Local   (Debian: openjdk-17-jre-headless)
#   chromium  Debian's Chromium at /usr/bin/chromium, for the page's browser tests
#             (CHROMIUM_PATH names another; never a browser download)
#   office    LibreOffice Calc and Writer headless (soffice) and python3-openpyxl: the workbook
#             tests read our .xlsx back as other programs do, LibreOffice makes real workbooks,
#             and Writer opens the report's .docx
#   fonts     Noto CJK, so that the browser tests' screenshots show Chinese
# Absent ones are installed through apt when running as root; otherwise this says, in one
# line, what to install, and fails.
#
# Usage: scripts/ensure-tools.sh [java] [chromium] [office] [fonts]   (default: all)
set -euo pipefail

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
has_java() { command -v java >/dev/null 2>&1 && java -version >/dev/null 2>&1; }
has_chromium() { [ -x "$chromium_path" ]; }
fonts_dir="${CUNBAO_FONTS_DIR:-/usr/share/fonts/opentype/noto}"
# openpyxl is Debian's: a python3 earlier on PATH (pyenv) may not have it, /usr/bin/python3 does.
has_openpyxl() { python3 -c 'import openpyxl' >/dev/null 2>&1 || /usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1; }
writer_lib="${CUNBAO_WRITER_LIB:-/usr/lib/libreoffice/program/libswlo.so}"
has_writer() { [ -e "$writer_lib" ]; }
has_office() { command -v soffice >/dev/null 2>&1 && has_writer && has_openpyxl; }
has_fonts() { [ -d "$fonts_dir" ]; }

declare -A package=([java]=openjdk-17-jre-headless [chromium]=chromium [office]="libreoffice-calc-nogui libreoffice-writer-nogui python3-openpyxl" [fonts]=fonts-noto-cjk)
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(java chromium office fonts)

missing=()
for tool in "${wanted[@]}"; do
  [ -n "${package[$tool]:-}" ] || { echo "ensure-tools: unknown tool '$tool' (java|chromium|office|fonts)" >&2; exit 2; }
  # shellcheck disable=SC2206 # a tool may need several packages
  "has_$tool" || missing+=(${package[$tool]})
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少 missing: ${missing[*]} — 请安装 please install: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "ensure-tools: installing ${missing[*]} (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

for tool in "${wanted[@]}"; do
  "has_$tool" || { echo "ensure-tools: ${package[$tool]} was installed but $tool is still missing (CHROMIUM_PATH=$chromium_path)" >&2; exit 1; }
done
