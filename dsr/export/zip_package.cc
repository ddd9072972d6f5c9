#include "dsr/export/zip_package.h"

#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "dsr/export/hashing_file.h"

namespace dsr {

bool zip_aes256_supported() { return zip_encryption_method_supported(ZIP_EM_AES_256, 1) != 0; }

namespace {

std::string archive_error(zip_t* za) { return zip_strerror(za); }

std::string error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

// Deflating an entry costs a fixed setup (zlib allocates and clears some 300 KB of
// tables each time) that dwarfs the work on a few hundred bytes, and a person's export
// is mostly such small files: one per collection and format. Below this size an entry
// is stored as it is; it would shrink by a kilobyte or two at most.
constexpr std::uint64_t kStoreBelow = 4096;
// zlib's default level: libzip's own default (9) is slower for a few percent less.
constexpr zip_uint32_t kLevel = 6;
// Reading the finished archive out of memory, in blocks of this size.
constexpr std::size_t kCopyBlock = 1 << 16;

// Adds the entries to an open archive. On failure the archive is discarded (with any
// sources already added) and the error returned.
Status add_entries(zip_t* za, const std::vector<ZipEntrySource>& entries, const std::string& password,
                   TimePoint mtime) {
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
  return Status::Ok();
}

// libzip writes the archive to a temporary file next to zip_path and renames it.
Result<FileDigest> write_through_file(const std::string& zip_path, const std::vector<ZipEntrySource>& entries,
                                      const std::string& password, TimePoint mtime) {
  int error_code = 0;
  zip_t* za = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_EXCL, &error_code);
  if (za == nullptr) return fail("cannot create " + zip_path + ": " + error_text(error_code));
  if (auto status = add_entries(za, entries, password, mtime); !status) return status.take_error();
  if (zip_close(za) != 0) {
    // libzip removes its own temporary output when closing fails.
    std::string message = "cannot write " + zip_path + ": " + archive_error(za);
    zip_discard(za);
    return fail(message);
  }
  return digest_file(zip_path);
}

// libzip builds the archive in a memory buffer, which is then written out once,
// hashed on the way: no temporary file of libzip's (whose random name costs the
// start of OpenSSL's random generator), and no second read for the digest.
Result<FileDigest> write_through_memory(const std::string& zip_path, const std::vector<ZipEntrySource>& entries,
                                        const std::string& password, TimePoint mtime) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* za = buffer == nullptr ? nullptr : zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (za == nullptr) {
    std::string message = "cannot start the ZIP for " + zip_path + ": " + zip_error_strerror(&error);
    zip_error_fini(&error);
    if (buffer != nullptr) zip_source_free(buffer);
    return fail(message);
  }
  zip_error_fini(&error);
  // The archive frees its source when closed; the finished bytes are read after that.
  zip_source_keep(buffer);
  const std::unique_ptr<zip_source_t, void (*)(zip_source_t*)> kept(buffer, zip_source_free);
  if (auto status = add_entries(za, entries, password, mtime); !status) return status.take_error();
  if (zip_close(za) != 0) {
    std::string message = "cannot build the ZIP for " + zip_path + ": " + archive_error(za);
    zip_discard(za);
    return fail(message);
  }

  auto file = HashingFile::create(zip_path);
  if (!file) return file.take_error();
  const auto abandon = [&](std::string message) {
    file->reset();
    ::unlink(zip_path.c_str());
    return fail(std::move(message));
  };
  if (zip_source_open(buffer) < 0) {
    return abandon("cannot read the ZIP built for " + zip_path + ": " + zip_error_strerror(zip_source_error(buffer)));
  }
  std::string block(kCopyBlock, '\0');
  zip_int64_t n = 0;
  while ((n = zip_source_read(buffer, block.data(), block.size())) > 0) {
    (*file)->write(std::string_view(block.data(), static_cast<std::size_t>(n)));
  }
  const bool read_failed = n < 0;
  std::string read_error = read_failed ? zip_error_strerror(zip_source_error(buffer)) : "";
  zip_source_close(buffer);
  if (read_failed) return abandon("cannot read the ZIP built for " + zip_path + ": " + read_error);
  auto written = (*file)->close();
  if (!written) return abandon(written.error());
  return written->digest;
}

}  // namespace

Result<FileDigest> write_zip(const std::string& zip_path, const std::vector<ZipEntrySource>& entries,
                             const std::string& password, TimePoint mtime) {
  // Entries in memory are within the export's in-memory allowance, and so is the
  // archive they make; an entry on disk means the export is too large for that.
  const bool all_in_memory =
      std::all_of(entries.begin(), entries.end(), [](const ZipEntrySource& e) { return e.content != nullptr; });
  if (all_in_memory) return write_through_memory(zip_path, entries, password, mtime);
  return write_through_file(zip_path, entries, password, mtime);
}

}  // namespace dsr
