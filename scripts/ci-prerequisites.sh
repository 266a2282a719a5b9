#!/usr/bin/env bash
# System tools the test suite needs beyond Node and pnpm. Safe to run repeatedly.
# - tmux: packages/cli/test/display-tmux.test.ts records the demo's live display in a terminal.
# - postgresql-15 (pgbench, pg_dump) and pgcopydb: bench/test/smoke.test.ts runs the benchmark
#   harnesses on a small dataset against these peers (the servers themselves come from npm).
# - openssl: packages/pg/test/tls.test.ts makes throwaway certificates for TLS sandbox servers.
# - postgresql-15-wal2json: plugins/replicator-logical/test/follow.test.ts follows a Debian
#   PostgreSQL 15 source through wal2json, which the npm builds of PostgreSQL do not include.
# - chromium: packages/sandbox/test/chromium.test.ts and the console's browser tests drive it
#   through playwright-core, which never downloads a browser of its own.
set -euo pipefail

missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/lib/postgresql/15/bin/pgbench ] && [ -x /usr/lib/postgresql/15/bin/pg_dump ] || missing+=(postgresql-15)
[ -x /usr/bin/pgcopydb ] || missing+=(pgcopydb)
[ -f /usr/lib/postgresql/15/lib/wal2json.so ] || missing+=(postgresql-15-wal2json)
[ -x /usr/bin/chromium ] || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ci-prerequisites: missing ${missing[*]}; run as root (or install them) to enable the tests that need them" >&2
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  # A failed install only disables the tests that need the tool (they skip with the reason).
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } ||
    echo "ci-prerequisites: could not install ${missing[*]}; the tests that need them will skip" >&2
else
  echo "ci-prerequisites: missing ${missing[*]} and no apt-get; install them with this system's package manager" >&2
fi
