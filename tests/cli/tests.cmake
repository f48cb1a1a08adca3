# Command-line tests: bash scripts that run the runbook binary, no database.
#   cli.invalid_corpus  validate on every tests/invalid/*.yaml (the `# expect:` lines)
#   cli.basics          help, usage errors, params, secrets, formats, unreadable files
#   cli.golden          plan in text, markdown and JSON against tests/golden/
#   cli.new             every `runbook new` starter validates and lints clean
#                       (RUNBOOK_UPDATE_GOLDEN=1 tests/cli/golden_test.sh rewrites them)
#
#   ctest -R '^cli\.' --output-on-failure
find_program(RUNBOOK_BASH bash REQUIRED)

foreach(test invalid_corpus basics golden new)
  if(test STREQUAL "basics")
    set(script cli_test.sh)
  else()
    set(script ${test}_test.sh)
  endif()
  add_test(NAME cli.${test}
    COMMAND ${RUNBOOK_BASH} ${CMAKE_CURRENT_LIST_DIR}/${script}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli.${test} PROPERTIES
    ENVIRONMENT "RUNBOOK_BIN=$<TARGET_FILE:runbook>"
    TIMEOUT 300
    LABELS "cli")
endforeach()
