#!/usr/bin/env bash
# Writes a runbook of N steps (default 2000) to stdout: a mix of preflight
# checks with expectations, transactional and CONCURRENTLY steps with
# templates, verify, rollback and retry, and postflight checks — the shape
# of a real runbook, repeated.
set -euo pipefail
n=${1:-2000}
cat <<HEAD
runbook: bench-big
title: Generated runbook with $n steps
params:
  schema: { type: identifier, default: public }
  batch_size: { type: integer, default: 5000, min: 1 }
  tables: { type: list, elements: identifier, default: [Company, ProductionPlan] }
session:
  lock_timeout: 2s
  statement_timeout: 5min
preflight:
HEAD
checks=$((n / 10))
steps=$((n - 2 * checks))
for i in $(seq 1 "$checks"); do
  cat <<STEP
  - id: check-$i
    query: SELECT count(*) AS n FROM {{ params.schema }}."Table$i" WHERE id > $i
    expect: { value: { ge: 0 } }
STEP
done
echo "steps:"
for i in $(seq 1 "$steps"); do
  if [ $((i % 5)) -eq 0 ]; then
    cat <<STEP
  - id: index-$i
    name: Index number $i
    sql: CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_$i ON {{ params.schema }}."Table$i" (col_$i);
    rollback: DROP INDEX CONCURRENTLY IF EXISTS idx_$i;
STEP
  else
    cat <<STEP
  - id: step-$i
    name: Constraint number $i
    sql: |
      ALTER TABLE {{ params.schema }}."Table$i"
        ADD CONSTRAINT "Table${i}_col_check" CHECK (col_$i > 0) NOT VALID;
      ALTER TABLE {{ params.schema }}."Table$i" VALIDATE CONSTRAINT "Table${i}_col_check";
    verify:
      query: SELECT conname, convalidated FROM pg_constraint WHERE conname = 'Table${i}_col_check'
      expect:
        table: |
          conname              | convalidated
          ---------------------+-------------
          Table${i}_col_check | t
    rollback: ALTER TABLE {{ params.schema }}."Table$i" DROP CONSTRAINT IF EXISTS "Table${i}_col_check";
    retry: { attempts: 5, delay: 1s }
STEP
  fi
done
echo "postflight:"
for i in $(seq 1 "$checks"); do
  cat <<STEP
  - id: post-$i
    query: SELECT conname FROM pg_constraint WHERE NOT convalidated AND conname = 'Table\${i}_col_check'
    expect: { rows: 0 }
STEP
done
