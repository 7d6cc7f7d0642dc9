// Block and blob compression (LZ4, from liblz4).
#ifndef LODE_LIB_UTIL_COMPRESSION_H_
#define LODE_LIB_UTIL_COMPRESSION_H_

#include <string>

#include "lode/options.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

// Appends the LZ4 compression of input to *output. Returns false (output
// unchanged) if input is too large for LZ4 or compression saves less than
// 1/8 of the size: the caller then stores the bytes raw.
bool LZ4CompressIfWorthIt(const Slice& input, std::string* output);

// Decompresses exactly uncompressed_size bytes into out (which has that much
// room). Corruption (with `what` in the message) if the input is malformed or
// decodes to another size.
Status LZ4Uncompress(const Slice& input, size_t uncompressed_size, char* out,
                     const std::string& what);

const char* CompressionName(Compression c);
// Parses "none"/"lz4" (any case); false if unknown.
bool ParseCompression(const std::string& name, Compression* c);

}  // namespace lode

#endif  // LODE_LIB_UTIL_COMPRESSION_H_
