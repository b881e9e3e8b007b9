#!/usr/bin/env bash
# Starts the local PostgreSQL cluster for tests and makes sure the test role
# exists. Prints the admin URL that tests use to create their own databases.
set -euo pipefail

version="${PG_VERSION:-15}"
role="${PG_TEST_ROLE:-staying_close_test}"
password="${PG_TEST_PASSWORD:-staying_close_test}"
port="${PG_PORT:-5432}"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

if ! pg_lsclusters -h 2>/dev/null | awk '{print $1"/"$2}' | grep -qx "$version/main"; then
  echo "Creating PostgreSQL $version cluster 'main'" >&2
  if [ "$(id -u)" = 0 ]; then pg_createcluster "$version" main >&2; else sudo pg_createcluster "$version" main >&2; fi
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -qx online; then
  echo "Starting PostgreSQL $version cluster 'main'" >&2
  if [ "$(id -u)" = 0 ]; then pg_ctlcluster "$version" main start >&2; else sudo pg_ctlcluster "$version" main start >&2; fi
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$port" >&2

as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 <<SQL >&2
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password';
  END IF;
END
\$\$;
SQL
if ! as_postgres psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = '$role'" | grep -q 1; then
  as_postgres createdb -p "$port" -O "$role" "$role" >&2
fi
# Databases left behind by earlier test runs.
as_postgres psql -p "$port" -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'sc\_test\_%'" |
  while read -r db; do [ -n "$db" ] && as_postgres dropdb -p "$port" --if-exists "$db"; done

echo "postgres://$role:$password@127.0.0.1:$port/$role"
