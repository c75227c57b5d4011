#!/usr/bin/env bash
# Runs an example against PostgreSQL when a server is configured (pg_virtualenv sets PGHOST);
# without one it skips (exit 77), except under CI or CRUCIBLE_REQUIRE_POSTGRES=1, where it fails.
if [ -z "${PGHOST:-}${PGDATABASE:-}" ]; then
  if [ "${CI:-}" = true ] || [ "${CRUCIBLE_REQUIRE_POSTGRES:-}" = 1 ]; then
    echo "no PostgreSQL server configured (run under pg_virtualenv)" >&2
    exit 1
  fi
  exit 77
fi
exec "$@"
