// Fixed-width little-endian and varint encodings used by every on-disk format.
#ifndef LODE_LIB_UTIL_CODING_H_
#define LODE_LIB_UTIL_CODING_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "lode/slice.h"

namespace lode {

inline void EncodeFixed16(char* dst, uint16_t v) { memcpy(dst, &v, 2); }
inline void EncodeFixed32(char* dst, uint32_t v) { memcpy(dst, &v, 4); }
inline void EncodeFixed64(char* dst, uint64_t v) { memcpy(dst, &v, 8); }
inline uint16_t DecodeFixed16(const char* p) {
  uint16_t v;
  memcpy(&v, p, 2);
  return v;
}
inline uint32_t DecodeFixed32(const char* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
inline uint64_t DecodeFixed64(const char* p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}
static_assert(std::endian::native == std::endian::little, "lode assumes little-endian");

void PutFixed32(std::string* dst, uint32_t value);
void PutFixed64(std::string* dst, uint64_t value);
void PutVarint32(std::string* dst, uint32_t value);
void PutVarint64(std::string* dst, uint64_t value);
void PutLengthPrefixedSlice(std::string* dst, const Slice& value);

// Each Get* consumes what it decodes from the front of *input and returns
// false (leaving *input in an unspecified state) if the bytes are malformed.
bool GetFixed32(Slice* input, uint32_t* value);
bool GetFixed64(Slice* input, uint64_t* value);
bool GetVarint32(Slice* input, uint32_t* value);
bool GetVarint64(Slice* input, uint64_t* value);
bool GetLengthPrefixedSlice(Slice* input, Slice* result);

// Decode from [p, limit); return the byte after the value, or nullptr.
const char* GetVarint32Ptr(const char* p, const char* limit, uint32_t* v);
const char* GetVarint64Ptr(const char* p, const char* limit, uint64_t* v);

// Bytes of the varint encoding of v.
int VarintLength(uint64_t v);

// Write a varint to dst; return the byte after it.
char* EncodeVarint32(char* dst, uint32_t value);
char* EncodeVarint64(char* dst, uint64_t value);

}  // namespace lode

#endif  // LODE_LIB_UTIL_CODING_H_
