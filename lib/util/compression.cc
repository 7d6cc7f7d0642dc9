#include "lib/util/compression.h"

#include <lz4.h>

#include <algorithm>
#include <cctype>

namespace lode {

bool LZ4CompressIfWorthIt(const Slice& input, std::string* output) {
  if (input.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) return false;
  const int src_size = static_cast<int>(input.size());
  const int bound = LZ4_compressBound(src_size);
  const size_t old_size = output->size();
  output->resize(old_size + static_cast<size_t>(bound));
  int n = LZ4_compress_default(input.data(), output->data() + old_size, src_size, bound);
  if (n <= 0 || static_cast<size_t>(n) > input.size() - input.size() / 8) {
    output->resize(old_size);
    return false;
  }
  output->resize(old_size + static_cast<size_t>(n));
  return true;
}

Status LZ4Uncompress(const Slice& input, size_t uncompressed_size, char* out,
                     const std::string& what) {
  if (input.size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE) ||
      uncompressed_size > static_cast<size_t>(INT32_MAX)) {
    return Status::Corruption(what, "compressed size out of range");
  }
  int n = LZ4_decompress_safe(input.data(), out, static_cast<int>(input.size()),
                              static_cast<int>(uncompressed_size));
  if (n < 0 || static_cast<size_t>(n) != uncompressed_size) {
    return Status::Corruption(what, "LZ4 data is malformed");
  }
  return Status::OK();
}

const char* CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kLZ4:
      return "lz4";
  }
  return "unknown";
}

bool ParseCompression(const std::string& name, Compression* c) {
  std::string n = name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (n == "none" || n == "no" || n == "knone") {
    *c = Compression::kNone;
  } else if (n == "lz4" || n == "klz4") {
    *c = Compression::kLZ4;
  } else {
    return false;
  }
  return true;
}

}  // namespace lode
