#include "dsr/model/phone_regions.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstdint>
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

using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;

// Only each entry's id is read: parsing whole entries (patterns, formats, examples)
// would cost more than all the rest of a command's start. The field numbers are
// the generated code's, so a renumbered schema fails to compile here.
bool read_ids(std::set<std::string>& ids) {
  using google::protobuf::io::CodedInputStream;
  using google::protobuf::internal::WireFormatLite;
  CodedInputStream input(static_cast<const std::uint8_t*>(i18n::phonenumbers::metadata_get()),
                         i18n::phonenumbers::metadata_size());
  while (const std::uint32_t tag = input.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) != PhoneMetadataCollection::kMetadataFieldNumber ||
        WireFormatLite::GetTagWireType(tag) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&input, tag)) return false;
      continue;
    }
    std::uint32_t length = 0;
    if (!input.ReadVarint32(&length)) return false;
    const auto limit = input.PushLimit(static_cast<int>(length));
    std::string id;
    while (const std::uint32_t inner = input.ReadTag()) {
      if (WireFormatLite::GetTagFieldNumber(inner) == PhoneMetadata::kIdFieldNumber &&
          WireFormatLite::GetTagWireType(inner) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
        if (!WireFormatLite::ReadString(&input, &id)) return false;
      } else if (!WireFormatLite::SkipField(&input, inner)) {
        return false;
      }
    }
    if (!input.ConsumedEntireMessage()) return false;
    input.PopLimit(limit);
    // As PhoneNumberUtil's constructor sorts them: "001" holds the non-geographic
    // numbering plans (+800, +882, ...) and "ZZ" is the unknown region; neither is a
    // region a national number can be read in.
    if (!id.empty() && id != "001" && id != "ZZ") ids.insert(id);
  }
  return input.ConsumedEntireMessage();
}

std::set<std::string> load_regions() {
  std::set<std::string> regions;
  if (read_ids(regions) && !regions.empty()) return regions;
  // Never seen; the library's own answer is the reference, so ask it.
  regions.clear();
  i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
  return regions;
}

}  // namespace

bool is_supported_phone_region(const std::string& region) {
  static const std::set<std::string> regions = load_regions();
  return regions.count(region) > 0;
}

}  // namespace dsr
