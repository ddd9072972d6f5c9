#pragma once
// Runs the built `dsr` executable as a child process, the way a user or a script
// would, and captures what it says. Tests that use it depend on the `dsr` target
// (add_dependencies(<test> dsr)) so that the binary is current.

#include <string>
#include <vector>

namespace dsr::test {

struct DsrRun {
  int code = -1;
  std::string out;
  std::string err;
};

// The executable of this build tree.
const std::string& dsr_binary();

// Runs dsr with args, feeding input on stdin; returns after it exits.
DsrRun run_dsr(const std::vector<std::string>& args, const std::string& input = "");

// Without the trailing line break(s) that printed values end with.
std::string trimmed(std::string text);

}  // namespace dsr::test
