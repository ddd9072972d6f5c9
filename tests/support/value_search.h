#pragma once
// Looking for one person's value in text a test must prove clean (an export, a store
// dump, a log): as a whole value, so that "42" inside "4207", or "a@b.com" inside
// "aa@b.com", counts as somebody else's value, not this one.

#include <string>

namespace dsr::test {

bool contains_value(const std::string& haystack, const std::string& needle);

}  // namespace dsr::test
