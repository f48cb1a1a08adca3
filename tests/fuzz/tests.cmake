# libFuzzer targets (clang, -DRUNBOOK_FUZZ=ON). Each fuzz_X.cc defines
# LLVMFuzzerTestOneInput; ctest runs each for a short bounded time on its seed
# corpus (tests/fuzz/corpus/X/). A longer run is documented in docs/testing.md.
if(NOT RUNBOOK_FUZZ)
  return()
endif()

set(RUNBOOK_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzz target runs under ctest")

function(runbook_fuzz_target name)
  add_executable(fuzz_${name} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_${name}.cc)
  target_link_libraries(fuzz_${name} PRIVATE ${ARGN})
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  set(corpus ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${name})
  set(work ${CMAKE_CURRENT_BINARY_DIR}/fuzz_corpus_${name})
  add_test(NAME fuzz.${name}
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1
      sh -c "mkdir -p '${work}' && '$<TARGET_FILE:fuzz_${name}>' -max_total_time=${RUNBOOK_FUZZ_SECONDS} -timeout=5 -rss_limit_mb=2048 -max_len=8192 '${work}' '${corpus}'")
endfunction()

foreach(target template loader)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_${target}.cc)
    if(target STREQUAL "template")
      runbook_fuzz_target(${target} rb_tmpl)
    else()
      runbook_fuzz_target(${target} rb_plan)
    endif()
  endif()
endforeach()
