# report.json against schemas/report.schema.json, with ajv-cli through npx.
# Skipped (exit 77) without npx or network. Include from tests/CMakeLists.txt.
find_program(RUNBOOK_BASH bash REQUIRED)
add_test(NAME schema.report
  COMMAND ${RUNBOOK_BASH} ${CMAKE_CURRENT_LIST_DIR}/report_schema_test.sh)
set_tests_properties(schema.report PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS "schema")

# Runbook and template files against schemas/runbook.schema.json and
# schemas/template.schema.json (ajv and yaml installed by npm into the build
# tree on first use), and the loader's verdict on the same fixtures.
# Skipped (exit 77) without node/npm/npx.
add_test(NAME schema.runbook
  COMMAND ${RUNBOOK_BASH} ${CMAKE_CURRENT_LIST_DIR}/runbook_schema_test.sh
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(schema.runbook PROPERTIES
  SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS "schema"
  ENVIRONMENT "RUNBOOK_BIN=$<TARGET_FILE:runbook>;RUNBOOK_SCHEMA_TOOLS=${CMAKE_BINARY_DIR}/schema-tools")
