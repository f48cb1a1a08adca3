# `runbook lint` from the command line (no database): tests/cli/lint_test.sh
# over the fixtures in this folder.
#   ctest -R '^cli\.lint$' --output-on-failure
find_program(RUNBOOK_BASH bash REQUIRED)
add_test(NAME cli.lint
  COMMAND ${RUNBOOK_BASH} ${PROJECT_SOURCE_DIR}/tests/cli/lint_test.sh
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(cli.lint PROPERTIES
  ENVIRONMENT "RUNBOOK_BIN=$<TARGET_FILE:runbook>"
  TIMEOUT 300
  LABELS "cli")
