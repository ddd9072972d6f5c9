#include "dsr/export/zip_package.h"

#include <zip.h>

#include <ctime>
#include <memory>

namespace dsr {

bool zip_aes256_supported() { return zip_encryption_method_supported(ZIP_EM_AES_256, 1) != 0; }

namespace {

std::string archive_error(zip_t* za) { return zip_strerror(za); }

// Deflating an entry costs a fixed setup (zlib allocates and clears some 300 KB of
// tables each time) that dwarfs the work on a few hundred bytes, and a person's export
// is mostly such small files: one per collection and format. Below this size an entry
// is stored as it is; it would shrink by a kilobyte or two at most.
constexpr std::uint64_t kStoreBelow = 4096;
// zlib's default level: libzip's own default (9) is slower for a few percent less.
constexpr zip_uint32_t kLevel = 6;

}  // namespace

Status write_zip(const std::string& zip_path, const std::vector<ZipEntrySource>& entries,
                 const std::string& password, TimePoint mtime) {
  int error_code = 0;
  zip_t* za = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_EXCL, &error_code);
  if (za == nullptr) {
    zip_error_t error;
    zip_error_init_with_code(&error, error_code);
    std::string message = "cannot create " + zip_path + ": " + zip_error_strerror(&error);
    zip_error_fini(&error);
    return fail(message);
  }
  // zip_discard frees the archive and any sources already added, without writing.
  const auto abandon = [&](std::string message) {
    zip_discard(za);
    return fail(std::move(message));
  };
  const auto when = static_cast<time_t>(mtime.time_since_epoch().count());
  for (const auto& entry : entries) {
    zip_error_t error;
    zip_error_init(&error);
    // A buffer source only points at the bytes (freep 0): `entries` outlives zip_close.
    zip_source_t* source =
        entry.content ? zip_source_buffer_create(entry.content->data(), entry.content->size(), 0, &error)
                      : zip_source_file_create(entry.file.c_str(), 0, static_cast<zip_int64_t>(entry.size), &error);
    if (source == nullptr) {
      std::string message = "cannot read " + (entry.content ? entry.name : entry.file) +
                            " for the ZIP: " + zip_error_strerror(&error);
      zip_error_fini(&error);
      return abandon(message);
    }
    const zip_int64_t index = zip_file_add(za, entry.name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(source);  // not owned by the archive when adding failed
      return abandon("cannot add " + entry.name + " to the ZIP: " + archive_error(za));
    }
    const auto i = static_cast<zip_uint64_t>(index);
    if (zip_file_set_mtime(za, i, when, 0) != 0) {
      return abandon("cannot set the time of " + entry.name + " in the ZIP: " + archive_error(za));
    }
    if (zip_set_file_compression(za, i, entry.size < kStoreBelow ? ZIP_CM_STORE : ZIP_CM_DEFLATE, kLevel) != 0) {
      return abandon("cannot set the compression of " + entry.name + " in the ZIP: " + archive_error(za));
    }
    if (!password.empty() && zip_file_set_encryption(za, i, ZIP_EM_AES_256, password.c_str()) != 0) {
      return abandon("cannot encrypt " + entry.name + " with AES-256: " + archive_error(za));
    }
  }
  if (zip_close(za) != 0) {
    // libzip removes its own temporary output when closing fails.
    return abandon("cannot write " + zip_path + ": " + archive_error(za));
  }
  return Status::Ok();
}

}  // namespace dsr
