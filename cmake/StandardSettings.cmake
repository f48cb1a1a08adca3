# Settings for the project's own targets only (third-party code is not ours to warn about).
add_library(runbook_standard INTERFACE)
target_compile_options(runbook_standard INTERFACE -Wall -Wextra -Wpedantic -Wshadow
  -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
  -Wimplicit-fallthrough)
if(RUNBOOK_WERROR)
  target_compile_options(runbook_standard INTERFACE -Werror)
endif()
if(RUNBOOK_SANITIZE)
  target_compile_options(runbook_standard INTERFACE -fsanitize=address,undefined
    -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(runbook_standard INTERFACE -fsanitize=address,undefined)
endif()
if(RUNBOOK_FUZZ)
  target_compile_options(runbook_standard INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(runbook_standard INTERFACE -fsanitize=address,undefined)
endif()
target_include_directories(runbook_standard INTERFACE ${PROJECT_SOURCE_DIR}/interpreter)
