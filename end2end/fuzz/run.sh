#!/usr/bin/env bash
# Fuzzes the REST API with schemathesis against a fresh server: a new SQLite database seeded
# with the demo, one pass with an admin's token and one with a viewer's, for a bounded time.
# Fails on any 5xx, any error that is not JSON, any undocumented status code or content type,
# and any response that does not match the OpenAPI document. Prints a summary at the end.
#
#   end2end/fuzz/run.sh                   uses target/release/flare, 300 s in all
#   FUZZ_SECONDS=60 FLARE_BIN=target/debug/flare end2end/fuzz/run.sh
#
# Settings (environment): FLARE_BIN (the server binary), FUZZ_SECONDS (time budget of the
# whole run, split between the two roles), FUZZ_PORT (default 3900), FUZZ_MAX_EXAMPLES (cases
# per operation and phase, default 100), FUZZ_SEED (to replay a run), FUZZ_CHECKS (schemathesis
# checks, default the four above; `all` explores further), ST (the schemathesis
# command, default the virtualenv that `make fuzz` installs), FUZZ_REPORT_DIR (where the
# reports go; default a temporary folder, kept when the run fails).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
flare="${FLARE_BIN:-target/release/flare}"
seconds="${FUZZ_SECONDS:-300}"
port="${FUZZ_PORT:-3900}"
max_examples="${FUZZ_MAX_EXAMPLES:-100}"
st="${ST:-target/fuzz-venv/bin/st}"

[ -x "$flare" ] || { echo "fuzz: no server binary at $flare (make build, or set FLARE_BIN)" >&2; exit 2; }
[ -x "$st" ] || command -v "$st" >/dev/null || { echo "fuzz: schemathesis not found at $st (make fuzz installs it)" >&2; exit 2; }

work="$(mktemp -d -t flare-fuzz.XXXXXX)"
reports="${FUZZ_REPORT_DIR:-$work/reports}"
mkdir -p "$reports"
reports="$(cd "$reports" && pwd)"
# schemathesis and hypothesis keep state in the current folder: run them in the temporary one.
[ -x "$st" ] && st="$(cd "$(dirname "$st")" && pwd)/$(basename "$st")"
python="$(dirname "$st")/python"
[ -x "$python" ] || python=python3
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ "${keep:-0}" = 0 ] && [ -z "${FUZZ_REPORT_DIR:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

export DATABASE_URL="sqlite://$work/flare.db?mode=rwc"
export FLARE_ADDR="127.0.0.1:$port"
export RUST_LOG="${RUST_LOG:-warn}"
base="http://$FLARE_ADDR"

echo "==> Seeding a fresh database with the demo ($work/flare.db)"
"$flare" demo >/dev/null
admin_token="$("$flare" token create --email admin@flare.test --name fuzz-admin)"
viewer_token="$("$flare" token create --email viewer@flare.test --name fuzz-viewer)"

echo "==> Serving $base"
"$flare" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$base/healthz" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "fuzz: the server did not start" >&2; exit 2; }
  sleep 0.2
done

# The event stream never ends by design, so it is left out (its errors are tested in Rust).
# One worker: with several, CPython 3.11's ast.parse (used by hypothesis) fails across threads.
checks="${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance}"
status=0
for role in admin viewer; do
  token_var="${role}_token"
  budget=$(( seconds / 2 > 1 ? seconds / 2 : 1 ))
  echo "==> schemathesis as the $role, up to ${budget}s"
  (cd "$work" && "$st" run "$base/api/v1/openapi.json" \
    --header "Authorization: Bearer ${!token_var}" \
    --checks "$checks" \
    --exclude-path /api/v1/stream \
    --max-examples "$max_examples" \
    --max-time "$budget" \
    --request-timeout 20 \
    --workers 1 \
    ${FUZZ_SEED:+--seed "$FUZZ_SEED"} \
    --suppress-health-check all \
    --report ndjson,junit \
    --report-ndjson-path "$reports/$role.ndjson" \
    --report-junit-path "$reports/$role.xml" \
    --output-truncate true) \
    >"$reports/$role.log" 2>&1 || status=$?
  tail -n 40 "$reports/$role.log"
done

echo "==> Summary"
if ! "$python" "$root/end2end/fuzz/summary.py" "$reports/admin.ndjson" "$reports/viewer.ndjson"; then
  status=1
fi
if grep -q "panicked" "$work/server.log"; then
  echo "fuzz: the server panicked (see $work/server.log)"
  status=1
fi
if [ "$status" != 0 ]; then
  keep=1
  echo "fuzz: FAILED; reports kept in $reports, server log in $work/server.log"
fi
exit "$status"
