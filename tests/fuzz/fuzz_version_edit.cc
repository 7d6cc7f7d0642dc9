// libFuzzer target: the manifest's version-edit decoder. A record that
// decodes must encode back to a record that decodes to the same edit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "lib/version_edit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lode::VersionEdit edit;
  const lode::Slice in(reinterpret_cast<const char*>(data), size);
  if (!edit.DecodeFrom(in).ok()) return 0;
  std::string encoded;
  edit.EncodeTo(&encoded);
  lode::VersionEdit again;
  if (!again.DecodeFrom(encoded).ok()) std::abort();  // our own encoding must decode
  std::string encoded2;
  again.EncodeTo(&encoded2);
  if (encoded != encoded2) std::abort();
  (void)edit.DebugString();
  return 0;
}
