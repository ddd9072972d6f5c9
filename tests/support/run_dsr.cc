#include "tests/support/run_dsr.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <thread>

namespace dsr::test {

const std::string& dsr_binary() {
  static const std::string binary = DSR_BINARY;
  return binary;
}

DsrRun run_dsr(const std::vector<std::string>& args, const std::string& input) {
  Poco::Pipe in, out, err;
  Poco::ProcessHandle handle = Poco::Process::launch(dsr_binary(), args, &in, &out, &err);
  DsrRun run;
  // Read both pipes concurrently so a full stderr pipe cannot stall the child.
  std::thread err_reader([&] {
    Poco::PipeInputStream stream(err);
    Poco::StreamCopier::copyToString(stream, run.err);
  });
  {
    Poco::PipeOutputStream stream(in);
    stream << input;
    stream.close();
  }
  Poco::PipeInputStream out_stream(out);
  Poco::StreamCopier::copyToString(out_stream, run.out);
  err_reader.join();
  run.code = handle.wait();
  return run;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace dsr::test
