# Per-target defaults: the language level and warnings live on each target, never globally.
function(dsr_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-deprecated-declarations)
endfunction()

# dsr_library(NAME <name> SOURCES ... PUBLIC_LIBS ... PRIVATE_LIBS ...)
# Creates dsr_<name> with the alias dsr::<name>; includes are rooted at the repository.
function(dsr_library)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  add_library(dsr_${ARG_NAME} STATIC ${ARG_SOURCES})
  add_library(dsr::${ARG_NAME} ALIAS dsr_${ARG_NAME})
  target_include_directories(dsr_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(dsr_${ARG_NAME} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_PRIVATE_LIBS})
  dsr_target_defaults(dsr_${ARG_NAME})
endfunction()
