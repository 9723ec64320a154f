// libFuzzer target: ImportRunJson on arbitrary bytes (a run file the user picked, or a
// history entry another version wrote). It must never crash or throw; an accepted file
// must survive export -> import unchanged; a rejected one leaves the target untouched.
#include <cstddef>
#include <cstdint>
#include <string>

#include "run.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  concord::FusionRun r;
  r.id = "untouched";
  const std::string err = concord::ImportRunJson(text, r);
  if (!err.empty()) {
    if (err.rfind("[import.", 0) != 0) __builtin_trap();  // stable error ids
    if (r.id != "untouched") __builtin_trap();             // nothing half-imported
    return 0;
  }
  const std::string once = concord::ExportRunJson(r);
  concord::FusionRun back;
  if (!concord::ImportRunJson(once, back).empty()) __builtin_trap();
  if (concord::ExportRunJson(back) != once) __builtin_trap();  // a fixed point after one round
  (void)concord::ExportRunMarkdown(back);
  return 0;
}
