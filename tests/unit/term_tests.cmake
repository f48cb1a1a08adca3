# Unit tests of the terminal adapter (adapters/term) and of what the libpq
# adapter (adapters/pg) decides without a server, which the per-module scheme
# (unit_<module> links rb_<module>) does not cover: adapters/ is one library,
# rb_adapters. Include from tests/CMakeLists.txt after unit_main.
file(GLOB _rb_term_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/term/*_test.cc
     ${CMAKE_CURRENT_LIST_DIR}/pg/*_test.cc)
if(_rb_term_tests)
  add_executable(unit_term ${_rb_term_tests})
  target_link_libraries(unit_term PRIVATE unit_main rb_adapters doctest::doctest)
  target_include_directories(unit_term PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  add_test(NAME unit.term COMMAND unit_term)
endif()
