# Every external library as an imported target; nothing is added to global include paths.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Poco REQUIRED COMPONENTS Foundation Util Net NetSSL JSON Crypto)
find_package(Boost REQUIRED COMPONENTS unit_test_framework)

pkg_check_modules(SQLite3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(MariaDB REQUIRED IMPORTED_TARGET libmariadb)
pkg_check_modules(LibZip REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(Argon2 REQUIRED IMPORTED_TARGET libargon2)

# SOCI 4.0 on Debian ships neither a CMake config nor a .pc file.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(SOCI_MYSQL_LIBRARY soci_mysql REQUIRED)

# Static archives for the libraries that cost the most at start-up. Every shared library
# is loaded and symbol-resolved before main() on every run, and dsr is one short process
# per command: libphonenumber alone brings ICU, protobuf and abseil, about half of the
# start-up symbol lookups (see scripts/bench/README.md). The archives come with the same
# -dev packages. The price: a security update of one of these libraries needs a rebuild
# of dsr, so packagers who rebuild on library updates anyway lose nothing, and
# -DDSR_STATIC_DEPS=OFF links them all shared.
option(DSR_STATIC_DEPS "Link libphonenumber (ICU, protobuf, abseil), SOCI, SQLite, MariaDB Connector/C and libargon2 statically, for a faster start" ON)
function(dsr_find_archives out)
  set(paths "")
  foreach(name IN LISTS ARGN)
    find_library(DSR_ARCHIVE_${name} NAMES lib${name}.a REQUIRED)
    list(APPEND paths ${DSR_ARCHIVE_${name}})
  endforeach()
  set(${out} ${paths} PARENT_SCOPE)
endfunction()
if(DSR_STATIC_DEPS)
  dsr_find_archives(SOCI_CORE_LIBRARY soci_core)
  dsr_find_archives(SOCI_SQLITE3_LIBRARY soci_sqlite3)
  dsr_find_archives(SOCI_MYSQL_LIBRARY soci_mysql)
  dsr_find_archives(sqlite_archive sqlite3)
  dsr_find_archives(mariadb_archive mariadb)
  dsr_find_archives(argon2_archive argon2)
  # The pkg-config targets keep their names, so every user (tests too) links one copy.
  set_target_properties(PkgConfig::SQLite3 PROPERTIES
    INTERFACE_LINK_LIBRARIES "${sqlite_archive};m;Threads::Threads;${CMAKE_DL_LIBS}")
  set_target_properties(PkgConfig::MariaDB PROPERTIES
    # Raw flags, not the OpenSSL targets: CMake keeps only the first mention of a target,
    # which may come before this archive on the link line.
    INTERFACE_LINK_LIBRARIES "${mariadb_archive};-lssl;-lcrypto;z;m;${CMAKE_DL_LIBS}")
  set_target_properties(PkgConfig::Argon2 PROPERTIES
    INTERFACE_LINK_LIBRARIES "${argon2_archive};Threads::Threads")
endif()

add_library(soci::core UNKNOWN IMPORTED)
set_target_properties(soci::core PROPERTIES IMPORTED_LOCATION ${SOCI_CORE_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${SOCI_INCLUDE_DIR})
target_link_libraries(soci::core INTERFACE Boost::boost ${CMAKE_DL_LIBS})
add_library(soci::sqlite3 UNKNOWN IMPORTED)
set_target_properties(soci::sqlite3 PROPERTIES IMPORTED_LOCATION ${SOCI_SQLITE3_LIBRARY})
target_link_libraries(soci::sqlite3 INTERFACE soci::core PkgConfig::SQLite3)
add_library(soci::mysql UNKNOWN IMPORTED)
set_target_properties(soci::mysql PROPERTIES IMPORTED_LOCATION ${SOCI_MYSQL_LIBRARY})
target_link_libraries(soci::mysql INTERFACE soci::core PkgConfig::MariaDB)

# libphonenumber: no CMake config on Debian either.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
if(DSR_STATIC_DEPS)
  dsr_find_archives(PHONENUMBER_LIBRARY phonenumber)
  # What libphonenumber.so links, as archives (pkg-config --static --libs for abseil's
  # hash, raw_hash_set, strings and throw_delegate, icu-i18n and protobuf).
  dsr_find_archives(phonenumber_deps protobuf icui18n icuuc icudata
    absl_hash absl_city absl_bad_variant_access absl_low_level_hash absl_raw_hash_set
    absl_bad_optional_access absl_hashtablez_sampler absl_exponential_biased absl_synchronization
    absl_graphcycles_internal absl_stacktrace absl_symbolize absl_debugging_internal
    absl_demangle_internal absl_malloc_internal absl_time absl_civil_time absl_time_zone
    absl_strings absl_strings_internal absl_base absl_spinlock_wait absl_int128
    absl_throw_delegate absl_raw_logging_internal absl_log_severity)
endif()
add_library(phonenumber::phonenumber UNKNOWN IMPORTED)
set_target_properties(phonenumber::phonenumber PROPERTIES IMPORTED_LOCATION ${PHONENUMBER_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${PHONENUMBER_INCLUDE_DIR})
if(DSR_STATIC_DEPS)
  # abseil's archives refer to each other in circles: one group, searched until settled.
  string(REPLACE ";" "," phonenumber_group "${phonenumber_deps}")
  target_link_libraries(phonenumber::phonenumber INTERFACE
    "$<LINK_GROUP:RESCAN,${phonenumber_group}>" z Threads::Threads m ${CMAKE_DL_LIBS})
endif()

# Header-only: valijson (JSON Schema) and kainjow mustache (escaping templates).
find_path(VALIJSON_INCLUDE_DIR valijson/validator.hpp REQUIRED)
add_library(valijson::valijson INTERFACE IMPORTED)
set_target_properties(valijson::valijson PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${VALIJSON_INCLUDE_DIR}
  # Without it valijson aborts the process on a bad schema; one setting for every user avoids ODR mixes.
  INTERFACE_COMPILE_DEFINITIONS VALIJSON_USE_EXCEPTIONS=1)
find_path(MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
add_library(kainjow::mustache INTERFACE IMPORTED)
set_target_properties(kainjow::mustache PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${MUSTACHE_INCLUDE_DIR})
