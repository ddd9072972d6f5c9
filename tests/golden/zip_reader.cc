#include "tests/golden/zip_reader.h"

#include <zip.h>

#include <memory>
#include <stdexcept>

namespace dsr::golden {

std::vector<std::pair<std::string, std::string>> read_zip(const std::string& path) {
  int code = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code),
                                                         &zip_discard);
  if (!archive) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    const std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw std::runtime_error(path + ": cannot open as ZIP: " + message);
  }
  std::vector<std::pair<std::string, std::string>> entries;
  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive.get(), static_cast<zip_uint64_t>(i), 0, &stat) != 0 ||
        !(stat.valid & ZIP_STAT_NAME) || !(stat.valid & ZIP_STAT_SIZE)) {
      throw std::runtime_error(path + ": cannot stat entry " + std::to_string(i));
    }
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(archive.get(), static_cast<zip_uint64_t>(i), 0),
                                                            &zip_fclose);
    if (!file) throw std::runtime_error(path + ": cannot open entry " + stat.name);
    std::string bytes(static_cast<std::size_t>(stat.size), '\0');
    std::size_t done = 0;
    while (done < bytes.size()) {
      const zip_int64_t n = zip_fread(file.get(), bytes.data() + done, bytes.size() - done);
      if (n <= 0) throw std::runtime_error(path + ": cannot read entry " + stat.name);
      done += static_cast<std::size_t>(n);
    }
    entries.emplace_back(stat.name, std::move(bytes));
  }
  return entries;
}

}  // namespace dsr::golden
