#define BOOST_TEST_MODULE phone regions
#include <boost/test/unit_test.hpp>

#include <phonenumbers/phonenumberutil.h>

#include <set>
#include <string>

#include "dsr/model/phone_regions.h"

// The cheap region list must say exactly what libphonenumber itself says.
BOOST_AUTO_TEST_CASE(agrees_with_libphonenumber) {
  std::set<std::string> supported;
  i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetSupportedRegions(&supported);
  BOOST_TEST_REQUIRE(supported.size() > 200u);
  for (const auto& region : supported) BOOST_TEST(dsr::is_supported_phone_region(region), region);
  // Everything two letters long that the library does not list is refused, too.
  std::size_t accepted = 0;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      const std::string region{a, b};
      BOOST_TEST(dsr::is_supported_phone_region(region) == (supported.count(region) > 0), region);
      accepted += dsr::is_supported_phone_region(region) ? 1 : 0;
    }
  }
  BOOST_TEST(accepted == supported.size());
}

BOOST_AUTO_TEST_CASE(refuses_what_is_no_region) {
  for (const char* region : {"001", "ZZ", "de", "", "DEU"}) BOOST_TEST(!dsr::is_supported_phone_region(region), region);
}
