# lock_check: replays tests/integration/locks/cases.yaml on a real PostgreSQL
# server and compares pg_locks, relfilenodes and scan counters with
# sql/lock_impact.h (see lock_check.cc).
#
# Run by hand against any server the PG* variables point at (it creates and
# drops a scratch database, so the role needs CREATEDB; a few cases need
# superuser):
#   PGHOST=/tmp/sock PGPORT=5433 PGUSER=postgres build/tests/lock_check
# Under ctest it uses the pg_cluster fixture of tests.cmake when that is
# defined, and is skipped (exit 77) when no server is available.

add_executable(lock_check ${CMAKE_CURRENT_LIST_DIR}/lock_check.cc)
target_link_libraries(lock_check PRIVATE rb_sql PostgreSQL::PostgreSQL yaml-cpp doctest::doctest)
target_compile_definitions(lock_check PRIVATE
  RUNBOOK_LOCK_CASES="${CMAKE_CURRENT_LIST_DIR}/locks/cases.yaml")

if(DEFINED RUNBOOK_PG_CLUSTER_DIR)
  find_program(RUNBOOK_BASH bash REQUIRED)
  # The fixture writes the connection as `export PG...` lines into DIR/env.
  add_test(NAME integration.lock_check
    COMMAND ${RUNBOOK_BASH} -c "[ -f \"$0/env\" ] || exit 77; . \"$0/env\"; exec \"$1\""
      ${RUNBOOK_PG_CLUSTER_DIR} $<TARGET_FILE:lock_check>)
  set_tests_properties(integration.lock_check PROPERTIES
    FIXTURES_REQUIRED pg_cluster
    SKIP_RETURN_CODE 77
    TIMEOUT 600
    LABELS "integration")
else()
  add_test(NAME integration.lock_check COMMAND lock_check)
  set_tests_properties(integration.lock_check PROPERTIES
    SKIP_RETURN_CODE 77
    TIMEOUT 600
    LABELS "integration")
endif()
