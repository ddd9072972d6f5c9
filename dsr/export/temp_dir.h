#pragma once
// A private scratch directory (mode 0700) that is removed with everything in it
// when the owner goes away, whether the export succeeded or not.

#include <string>
#include <string_view>

#include "dsr/common/result.h"

namespace dsr {

class PrivateTempDir {
 public:
  // Creates <parent>/<prefix>XXXXXX. The parent must exist.
  static Result<PrivateTempDir> create(const std::string& parent, const std::string& prefix);

  PrivateTempDir(PrivateTempDir&& other) noexcept;
  PrivateTempDir& operator=(PrivateTempDir&& other) noexcept;
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;
  ~PrivateTempDir();

  const std::string& path() const { return path_; }
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

  // Removes the directory now; idempotent. Errors are ignored: this runs on
  // failure paths and in destructors, where nothing better can be done.
  void remove();

 private:
  explicit PrivateTempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace dsr
