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
add_library(phonenumber::phonenumber UNKNOWN IMPORTED)
set_target_properties(phonenumber::phonenumber PROPERTIES IMPORTED_LOCATION ${PHONENUMBER_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${PHONENUMBER_INCLUDE_DIR})

# Header-only: valijson (JSON Schema) and kainjow mustache (escaping templates).
find_path(VALIJSON_INCLUDE_DIR valijson/validator.hpp REQUIRED)
add_library(valijson::valijson INTERFACE IMPORTED)
set_target_properties(valijson::valijson PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${VALIJSON_INCLUDE_DIR}
  # Without it valijson aborts the process on a bad schema; one setting for every user avoids ODR mixes.
  INTERFACE_COMPILE_DEFINITIONS VALIJSON_USE_EXCEPTIONS=1)
find_path(MUSTACHE_INCLUDE_DIR kainjow/mustache.hpp REQUIRED)
add_library(kainjow::mustache INTERFACE IMPORTED)
set_target_properties(kainjow::mustache PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${MUSTACHE_INCLUDE_DIR})
