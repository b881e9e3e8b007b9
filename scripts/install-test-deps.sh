#!/usr/bin/env bash
# Installs what the test suite needs from Debian's packages, only if missing:
# the PostgreSQL server, Chromium with its driver for browser tests, and
# Python with venv for the SSDA903 validator (whose packages come from PyPI).
set -euo pipefail

sudo_if_needed() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian packages"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "Test dependencies present: $(chromium --version 2>/dev/null | head -1); PostgreSQL $(ls /usr/lib/postgresql | sort -V | tail -1)"
