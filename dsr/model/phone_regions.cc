#include "dsr/model/phone_regions.h"

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <set>

// libphonenumber's compiled-in metadata, the very bytes PhoneNumberUtil reads at
// construction. Its header (metadata.h) is not installed, but the functions are part
// of the library's exported interface since its first C++ release; should they go,
// linking fails rather than the check going wrong.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace dsr {

namespace {

std::set<std::string> load_regions() {
  using i18n::phonenumbers::PhoneMetadataCollection;
  std::set<std::string> regions;
  PhoneMetadataCollection collection;
  if (!collection.ParseFromArray(i18n::phonenumbers::metadata_get(), i18n::phonenumbers::metadata_size())) {
    // Never seen; the library's own answer is the reference, so ask it.
    i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
    return regions;
  }
  // As PhoneNumberUtil's constructor sorts them: "001" holds the non-geographic
  // numbering plans (+800, +882, ...) and "ZZ" is the unknown region; neither is a
  // region a national number can be read in.
  for (int i = 0; i < collection.metadata_size(); ++i) {
    const std::string& id = collection.metadata(i).id();
    if (id != "001" && id != "ZZ") regions.insert(id);
  }
  return regions;
}

}  // namespace

bool is_supported_phone_region(const std::string& region) {
  static const std::set<std::string> regions = load_regions();
  return regions.count(region) > 0;
}

}  // namespace dsr
