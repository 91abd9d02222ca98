#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: initdb into a temp dir, start it on a unix socket
# (no TCP), export DATABASE_URL, run the command, stop the server and remove the dir.
#   scripts/with-postgres.sh .venv/bin/python -m pytest tests/web
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with-postgres: PostgreSQL is not installed (Debian package postgresql)" >&2
  exit 3
fi
dir=$(mktemp -d /tmp/gongkai-pg.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
as=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
  as=(runuser -u postgres --)
fi
cleanup() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
"${as[@]}" "$bin/initdb" -D "$dir/data" -U gongkai --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 3; }
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
  -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start \
  >/dev/null || { cat "$dir/server.log" >&2; exit 3; }
"${as[@]}" "$bin/createdb" -h "$dir" -p "$port" -U gongkai gongkai
export DATABASE_URL="postgres://gongkai@${dir//\//%2F}:$port/gongkai"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $dir:$port" >&2
set +e
"$@"
status=$?
exit $status
