// Checksums of every on-disk structure: XXH3 (64-bit), from libxxhash.
#ifndef LODE_LIB_UTIL_CHECKSUM_H_
#define LODE_LIB_UTIL_CHECKSUM_H_

#include <cstddef>
#include <cstdint>

#include "lode/slice.h"

namespace lode {

uint64_t Checksum64(const char* data, size_t n);
inline uint64_t Checksum64(const Slice& s) { return Checksum64(s.data(), s.size()); }

// The low 32 bits of XXH3, for trailers where 4 bytes suffice.
inline uint32_t Checksum32(const char* data, size_t n) {
  return static_cast<uint32_t>(Checksum64(data, n));
}

// Checksum of the concatenation a|b without copying them together.
uint64_t Checksum64Concat(const Slice& a, const Slice& b);

// Streaming form, for structures written piece by piece.
class ChecksumStream {
 public:
  ChecksumStream();
  ~ChecksumStream();
  ChecksumStream(const ChecksumStream&) = delete;
  ChecksumStream& operator=(const ChecksumStream&) = delete;
  void Update(const Slice& s);
  uint64_t Digest() const;

 private:
  void* state_;  // XXH3_state_t
};

}  // namespace lode

#endif  // LODE_LIB_UTIL_CHECKSUM_H_
