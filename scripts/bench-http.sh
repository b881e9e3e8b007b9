#!/usr/bin/env bash
# HTTP load figures for docs/perf.md: starts the release build with the demo
# on SQLite, signs in as a personal adviser and drives key pages with wrk
# (Debian package `wrk`) from loopback at 200 concurrent connections
# (CONNECTIONS=… to change). Bounded: 10 s a page.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk first: apt-get install wrk" >&2; exit 1; }
bin=target/release/staying-close
[ -x "$bin" ] || cargo build --release
data=$(mktemp -d)
port=${PORT:-18080}
STAYING_CLOSE_DATA_DIR="$data" STAYING_CLOSE_LOG=warn "$bin" demo --bind "127.0.0.1:$port" >"$data/out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
jar="$data/jar"
form=$(curl -s -c "$jar" "http://127.0.0.1:$port/sign-in" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//;s/"//')
curl -s -b "$jar" -c "$jar" -o /dev/null \
  --data-urlencode "csrf_token=$form" --data-urlencode "email=daniel.okafor@demo-borough.example" \
  --data-urlencode "password=close-support-demo" "http://127.0.0.1:$port/sign-in"
cookie="sc_session=$(awk '$6=="sc_session"{print $7}' "$jar")"
person=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/young-people" | grep -o 'href="/young-people/[0-9]*"' | head -1 | grep -o '[0-9]*')
for path in /healthz /readyz / /home /young-people "/young-people/$person"; do
  echo "== GET $path"
  wrk -t2 -c"${CONNECTIONS:-200}" -d10s --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path" |
    grep -E "Requests/sec|50%|99%|Non-2xx|requests in|Socket errors"
done
