#!/usr/bin/env bash
# Checks what the service sends out with open-source tools, in a virtual
# environment of PyPI packages this script creates:
#  - the demo LA's SSDA903 OC3 return, with the 903 validator's OC3 rules
#    (csc-validator-be-903), expecting no errors;
#  - the Excel workbooks the HTTP tests downloaded (STAYING_CLOSE_EXPORT_DIR),
#    opened with openpyxl, expecting typed cells.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/venv-903
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "csc-validator-be-903==0.1.17"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export STAYING_CLOSE_DATA_DIR="$work" STAYING_CLOSE_LOG=error
bin=./target/debug/staying-close
"$bin" demo --no-serve >/dev/null
year="2025-26"
DATABASE_URL="sqlite://$work/demo.db" "$bin" export-oc3 --la 990 --year "$year" --tables "$work/oc3"
echo "OC3 $year, checked by the 903 validator:"
"$venv/bin/python" scripts/validate-oc3.py "$work/oc3" "$year"

exports="${STAYING_CLOSE_EXPORT_DIR:-target/test-exports}"
echo "Excel workbooks downloaded by the HTTP tests, opened with openpyxl:"
"$venv/bin/python" scripts/check-xlsx.py "$exports"
