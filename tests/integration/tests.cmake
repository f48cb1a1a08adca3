# Integration tests: bash scripts (tests/integration/*_test.sh, using lib.sh)
# against one throwaway PostgreSQL cluster shared by all of them.
#
# The cluster is a ctest fixture: pg_cluster.start runs before the first test
# that needs it, pg_cluster.stop after the last one. Each test works in its own
# database (lib.sh fresh_db), so the tests may run in parallel (ctest -j).
# Without PostgreSQL server binaries the start test is skipped (exit 77), no
# env file is written, and every integration test skips itself too.
#
#   ctest -L integration                 # just these
#   ctest -R 'pg_cluster|examples'       # the harness and the example apps

find_program(RUNBOOK_BASH bash REQUIRED)

set(RUNBOOK_PG_CLUSTER_SCRIPT ${PROJECT_SOURCE_DIR}/tests/support/pg_cluster.sh)
set(RUNBOOK_PG_CLUSTER_DIR ${CMAKE_BINARY_DIR}/pgtest CACHE PATH
    "Directory of the throwaway PostgreSQL cluster used by the integration tests")
set(_rb_integration_dir ${CMAKE_CURRENT_LIST_DIR})

add_test(NAME pg_cluster.start
  COMMAND ${RUNBOOK_BASH} ${RUNBOOK_PG_CLUSTER_SCRIPT} start ${RUNBOOK_PG_CLUSTER_DIR})
set_tests_properties(pg_cluster.start PROPERTIES
  FIXTURES_SETUP pg_cluster
  SKIP_RETURN_CODE 77
  TIMEOUT 180
  LABELS "integration")

add_test(NAME pg_cluster.stop
  COMMAND ${RUNBOOK_BASH} ${RUNBOOK_PG_CLUSTER_SCRIPT} stop ${RUNBOOK_PG_CLUSTER_DIR})
set_tests_properties(pg_cluster.stop PROPERTIES
  FIXTURES_CLEANUP pg_cluster
  TIMEOUT 120
  LABELS "integration")

# The harness tests itself on clusters of its own (no fixture needed).
add_test(NAME pg_cluster.selftest
  COMMAND ${RUNBOOK_BASH} ${PROJECT_SOURCE_DIR}/tests/support/pg_cluster_test.sh)
set_tests_properties(pg_cluster.selftest PROPERTIES
  SKIP_RETURN_CODE 77
  TIMEOUT 300
  LABELS "integration"
  ENVIRONMENT "RUNBOOK_SOURCE_DIR=${PROJECT_SOURCE_DIR}")

# runbook_integration_test(NAME SCRIPT [TIMEOUT seconds] [LABELS l...] [ENVIRONMENT k=v...])
# Registers `bash SCRIPT` as ctest test NAME, run from the build directory with
#   RUNBOOK_TEST_CLUSTER  the fixture's cluster directory (lib.sh require_cluster)
#   RUNBOOK_BIN           the runbook binary ($<TARGET_FILE:runbook>)
#   RUNBOOK_SOURCE_DIR    the source tree
# Exit 77 means skipped.
function(runbook_integration_test name script)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "TIMEOUT" "LABELS;ENVIRONMENT")
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 600)
  endif()
  add_test(NAME ${name} COMMAND ${RUNBOOK_BASH} ${script})
  set_tests_properties(${name} PROPERTIES
    FIXTURES_REQUIRED pg_cluster
    SKIP_RETURN_CODE 77
    TIMEOUT ${arg_TIMEOUT}
    LABELS "integration;${arg_LABELS}"
    ENVIRONMENT "RUNBOOK_TEST_CLUSTER=${RUNBOOK_PG_CLUSTER_DIR};RUNBOOK_BIN=$<TARGET_FILE:runbook>;RUNBOOK_SOURCE_DIR=${PROJECT_SOURCE_DIR};${arg_ENVIRONMENT}")
endfunction()

# Every tests/integration/NAME_test.sh becomes the test integration.NAME.
file(GLOB _rb_integration_scripts CONFIGURE_DEPENDS ${_rb_integration_dir}/*_test.sh)
foreach(script IN LISTS _rb_integration_scripts)
  get_filename_component(_rb_name ${script} NAME)
  string(REGEX REPLACE "_test\\.sh$" "" _rb_name ${_rb_name})
  runbook_integration_test(integration.${_rb_name} ${script})
endforeach()

# rehearse starts throwaway clusters of its own, one per rehearsal (the shared
# one serves only as a --from-db source): it needs more time than the others.
if(TEST integration.rehearse)
  set_tests_properties(integration.rehearse PROPERTIES TIMEOUT 1800)
endif()
