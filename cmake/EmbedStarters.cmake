# Embeds starters/*.yaml (the runbooks `runbook new` scaffolds from) into the
# binary as string constants, so that `runbook new` needs no installed files.
function(runbook_embed_starters out)
  file(GLOB starters CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/starters/*.yaml)
  set(entries "")
  foreach(path IN LISTS starters)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${path})
    get_filename_component(name ${path} NAME_WE)
    file(READ ${path} text)
    string(APPEND entries "    {\"${name}\", R\"starter(${text})starter\"},\n")
  endforeach()
  file(WRITE ${out}.new "// Generated from starters/*.yaml by cmake/EmbedStarters.cmake.\n"
    "#include \"cli/starters.h\"\n\nnamespace runbook::cli {\n\n"
    "const std::vector<Starter>& starters() {\n"
    "  static const std::vector<Starter> all = {\n${entries}  };\n  return all;\n}\n\n"
    "}  // namespace runbook::cli\n")
  configure_file(${out}.new ${out} COPYONLY)
endfunction()
