#include "blob/blob_log_format.h"

#include "lib/filename.h"
#include "lib/util/checksum.h"
#include "lib/util/coding.h"

namespace lode {

bool IsKnownCompression(uint8_t c) {
  return c == static_cast<uint8_t>(Compression::kNone) ||
         c == static_cast<uint8_t>(Compression::kLZ4);
}

Status BlobCorruption(const std::string& file_name, uint64_t offset, const std::string& what) {
  return Status::Corruption(BaseName(file_name), what + " at offset " + std::to_string(offset));
}

void BlobLogHeader::EncodeTo(std::string* dst) const {
  char buf[kSize] = {};
  EncodeFixed64(buf, kBlobHeaderMagic);
  EncodeFixed32(buf + 8, version);
  buf[12] = static_cast<char>(compression);
  buf[13] = static_cast<char>(flags);
  // buf[14..16) reserved, zero.
  EncodeFixed64(buf + 16, file_number);
  EncodeFixed64(buf + 24, Checksum64(buf, 24));
  dst->append(buf, kSize);
}

Status BlobLogHeader::DecodeFrom(Slice input) {
  if (input.size() < kSize) return Status::Corruption("blob file header", "truncated");
  const char* p = input.data();
  if (DecodeFixed64(p) != kBlobHeaderMagic) {
    return Status::Corruption("blob file header", "bad magic number");
  }
  if (DecodeFixed64(p + 24) != Checksum64(p, 24)) {
    return Status::Corruption("blob file header", "checksum mismatch");
  }
  version = DecodeFixed32(p + 8);
  const auto c = static_cast<uint8_t>(p[12]);
  flags = static_cast<uint8_t>(p[13]);
  file_number = DecodeFixed64(p + 16);
  // The checksum held, so these were written on purpose by a newer writer.
  if (version != kBlobFormatVersion) {
    return Status::NotSupported("blob file header", "format version " + std::to_string(version));
  }
  if (!IsKnownCompression(c)) {
    return Status::NotSupported("blob file header", "compression " + std::to_string(c));
  }
  compression = static_cast<Compression>(c);
  if ((flags & ~kBlobKnownFlags) != 0) {
    return Status::NotSupported("blob file header", "flags " + std::to_string(flags));
  }
  if (p[14] != 0 || p[15] != 0) {
    return Status::NotSupported("blob file header", "reserved bytes are set");
  }
  return Status::OK();
}

void BlobLogRecordHeader::EncodeTo(std::string* dst) const {
  char buf[kSize];
  EncodeFixed64(buf, checksum);
  EncodeFixed32(buf + 8, key_size);
  EncodeFixed64(buf + 12, stored_size);
  EncodeFixed64(buf + 20, uncompressed_size);
  buf[28] = static_cast<char>(compression);
  buf[29] = 0;  // flags
  dst->append(buf, kSize);
}

Status BlobLogRecordHeader::DecodeFrom(Slice input) {
  if (input.size() < kSize) return Status::Corruption("blob record header", "truncated");
  const char* p = input.data();
  checksum = DecodeFixed64(p);
  key_size = DecodeFixed32(p + 8);
  stored_size = DecodeFixed64(p + 12);
  uncompressed_size = DecodeFixed64(p + 20);
  const auto c = static_cast<uint8_t>(p[28]);
  if (!IsKnownCompression(c)) {
    return Status::Corruption("blob record header", "unknown compression " + std::to_string(c));
  }
  compression = static_cast<Compression>(c);
  if (p[29] != 0) return Status::Corruption("blob record header", "nonzero flags");
  if (compression == Compression::kNone && uncompressed_size != stored_size) {
    return Status::Corruption("blob record header", "raw record with two sizes");
  }
  return Status::OK();
}

uint64_t BlobLogRecordHeader::ComputeChecksum(const Slice& fields_key, const Slice& stored) {
  return Checksum64Concat(fields_key, stored);
}

uint64_t BlobLogRecordHeader::ComputeChecksum(const char* record, size_t n) {
  return Checksum64(record + kChecksumSize, n - kChecksumSize);
}

void BlobLogFooter::EncodeTo(std::string* dst) const {
  char buf[kSize];
  EncodeFixed64(buf, kBlobFooterMagic);
  EncodeFixed64(buf + 8, blob_count);
  EncodeFixed64(buf + 16, blob_bytes);
  EncodeFixed64(buf + 24, records_checksum);
  EncodeFixed64(buf + 32, Checksum64(buf, 32));
  dst->append(buf, kSize);
}

Status BlobLogFooter::DecodeFrom(Slice input) {
  if (input.size() < kSize) return Status::Corruption("blob file footer", "truncated");
  const char* p = input.data();
  if (DecodeFixed64(p) != kBlobFooterMagic) {
    return Status::Corruption("blob file footer", "bad magic number (file not finished?)");
  }
  if (DecodeFixed64(p + 32) != Checksum64(p, 32)) {
    return Status::Corruption("blob file footer", "checksum mismatch");
  }
  blob_count = DecodeFixed64(p + 8);
  blob_bytes = DecodeFixed64(p + 16);
  records_checksum = DecodeFixed64(p + 24);
  return Status::OK();
}

}  // namespace lode
