#!/usr/bin/env bash
# Validates report.json files against schemas/report.schema.json (JSON Schema
# draft 2020-12) with ajv-cli, fetched by npx on first use.
#
#   tests/schema/report_schema_test.sh [REPORT.json...]
#
# Without arguments it validates tests/schema/sample_report.json, which the
# report unit tests write from a run that has every kind of step in it:
#   RUNBOOK_WRITE_SAMPLE_REPORT=tests/schema/sample_report.json \
#     BUILD/tests/unit_report -tc='writes the schema sample when asked'
# Exit 0 when every file is valid, 1 when one is not, 77 (skipped) when npx
# or the ajv-cli package cannot be had (no node, no network).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
schema="$root/schemas/report.schema.json"
if [[ $# -eq 0 ]]; then
  set -- "$here/sample_report.json"
fi

if ! command -v npx >/dev/null 2>&1; then
  echo "skipped: npx is not installed" >&2
  exit 77
fi
ajv=(npx --yes ajv-cli@5)
if ! "${ajv[@]}" help >/dev/null 2>&1; then
  echo "skipped: cannot run ajv-cli@5 through npx (offline?)" >&2
  exit 77
fi

status=0
for report in "$@"; do
  # --strict=true: a schema keyword ajv does not know is an error, not a shrug.
  if ! "${ajv[@]}" validate --spec=draft2020 --strict=true --all-errors \
      -s "$schema" -d "$report"; then
    status=1
  fi
done
exit "$status"
