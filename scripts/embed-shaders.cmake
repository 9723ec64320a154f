# Embeds shaders/*.glsl as C++ raw string constants: kShader_<name>.
# Usage: cmake -DOUT=header.h -DDIR=shaders -P embed-shaders.cmake
set(text "// Generated from shaders/*.glsl by scripts/embed-shaders.cmake. Do not edit.\n#pragma once\n")
file(GLOB IN ${DIR}/*.glsl)
list(SORT IN)
foreach(f ${IN})
  get_filename_component(name ${f} NAME_WE)
  string(MAKE_C_IDENTIFIER ${name} id)
  file(READ ${f} body)
  string(APPEND text "static const char* const kShader_${id} = R\"GLSL(${body})GLSL\";\n")
endforeach()
file(WRITE ${OUT} "${text}")
