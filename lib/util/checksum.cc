#include "lib/util/checksum.h"

#include <xxhash.h>

namespace lode {

uint64_t Checksum64(const char* data, size_t n) { return XXH3_64bits(data, n); }

uint64_t Checksum64Concat(const Slice& a, const Slice& b) {
  ChecksumStream s;
  s.Update(a);
  s.Update(b);
  return s.Digest();
}

ChecksumStream::ChecksumStream() : state_(XXH3_createState()) {
  XXH3_64bits_reset(static_cast<XXH3_state_t*>(state_));
}
ChecksumStream::~ChecksumStream() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }
void ChecksumStream::Update(const Slice& s) {
  XXH3_64bits_update(static_cast<XXH3_state_t*>(state_), s.data(), s.size());
}
uint64_t ChecksumStream::Digest() const {
  return XXH3_64bits_digest(static_cast<XXH3_state_t*>(state_));
}

}  // namespace lode
