# Embeds shaders/*.glsl as C++ raw string constants: kShader_<name>.
# Usage: cmake -DOUT=header.h -DIN="a.glsl;b.glsl" -P embed-shaders.cmake
set(text "// Generated from shaders/*.glsl by scripts/embed-shaders.cmake. Do not edit.\n#pragma once\n")
foreach(f ${IN})
  get_filename_component(name ${f} NAME_WE)
  string(MAKE_C_IDENTIFIER ${name} id)
  file(READ ${f} body)
  string(APPEND text "static const char* const kShader_${id} = R\"GLSL(${body})GLSL\";\n")
endforeach()
file(WRITE ${OUT} "${text}")
