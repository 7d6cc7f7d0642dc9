#include "blob/blob_index.h"

#include <cstdio>

#include "lib/util/coding.h"
#include "lib/util/compression.h"

namespace lode {

void BlobIndex::EncodeTo(std::string* dst) const {
  dst->push_back(static_cast<char>(kBlobIndexTypeV1));
  PutVarint64(dst, file_number);
  PutVarint64(dst, offset);
  PutVarint64(dst, size);
  dst->push_back(static_cast<char>(compression));
  // A raw blob's uncompressed size is its size; not storing it keeps the
  // common index a few bytes shorter in every table entry.
  if (compression != Compression::kNone) PutVarint64(dst, uncompressed_size);
}

Status BlobIndex::DecodeFrom(Slice input) {
  if (input.empty()) return Status::Corruption("blob index", "empty");
  if (static_cast<unsigned char>(input[0]) != kBlobIndexTypeV1) {
    return Status::Corruption(
        "blob index", "unknown type " + std::to_string(static_cast<unsigned char>(input[0])));
  }
  input.remove_prefix(1);
  if (!GetVarint64(&input, &file_number) || !GetVarint64(&input, &offset) ||
      !GetVarint64(&input, &size) || input.empty()) {
    return Status::Corruption("blob index", "truncated");
  }
  const auto c = static_cast<unsigned char>(input[0]);
  input.remove_prefix(1);
  if (c == static_cast<unsigned char>(Compression::kNone)) {
    compression = Compression::kNone;
    uncompressed_size = size;
  } else if (c == static_cast<unsigned char>(Compression::kLZ4)) {
    compression = Compression::kLZ4;
    if (!GetVarint64(&input, &uncompressed_size)) {
      return Status::Corruption("blob index", "truncated uncompressed size");
    }
  } else {
    return Status::Corruption("blob index", "unknown compression " + std::to_string(c));
  }
  if (!input.empty()) return Status::Corruption("blob index", "trailing bytes");
  if (offset + size < offset) return Status::Corruption("blob index", "offset + size overflows");
  return Status::OK();
}

std::string BlobIndex::DebugString() const {
  char buf[200];
  snprintf(buf, sizeof(buf), "file=%llu offset=%llu size=%llu uncompressed=%llu compression=%s",
           static_cast<unsigned long long>(file_number), static_cast<unsigned long long>(offset),
           static_cast<unsigned long long>(size),
           static_cast<unsigned long long>(uncompressed_size), CompressionName(compression));
  return buf;
}

}  // namespace lode
