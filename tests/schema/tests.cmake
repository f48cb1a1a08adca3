# report.json against schemas/report.schema.json, with ajv-cli through npx.
# Skipped (exit 77) without npx or network. Include from tests/CMakeLists.txt.
find_program(RUNBOOK_BASH bash REQUIRED)
add_test(NAME schema.report
  COMMAND ${RUNBOOK_BASH} ${CMAKE_CURRENT_LIST_DIR}/report_schema_test.sh)
set_tests_properties(schema.report PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS "schema")
