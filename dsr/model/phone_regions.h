#pragma once
// The regions libphonenumber can read national numbers for, found without building
// its PhoneNumberUtil. That object compiles some hundred ICU regular expressions on
// first use (tens of milliseconds), and every dsr command checks the configured
// default region while only requests with a phone number ever parse one.

#include <string>

namespace dsr {

// True when libphonenumber knows `region` (an upper-case ISO 3166-1 alpha-2 code),
// exactly as PhoneNumberUtil::GetSupportedRegions() would say.
bool is_supported_phone_region(const std::string& region);

}  // namespace dsr
