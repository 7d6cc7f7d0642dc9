#include "table/format.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "lib/util/checksum.h"
#include "lib/util/coding.h"
#include "lib/util/compression.h"

namespace lode {

namespace {
// A handle larger than this is corrupt, whatever the file size: it keeps a
// flipped bit from turning into a multi-gigabyte allocation.
constexpr uint64_t kMaxStoredBlockSize = uint64_t{1} << 31;
// LZ4 cannot expand by more than ~255x, so a larger claim is corrupt.
constexpr uint64_t kMaxLZ4Ratio = 255;
}  // namespace

Status TableCorruption(const std::string& file_name, uint64_t offset, const std::string& msg) {
  return Status::Corruption(file_name + ": " + msg + " at offset " + std::to_string(offset));
}

void BlockHandle::EncodeTo(std::string* dst) const {
  PutVarint64(dst, offset_);
  PutVarint64(dst, size_);
}

bool BlockHandle::DecodeFrom(Slice* input) {
  return GetVarint64(input, &offset_) && GetVarint64(input, &size_);
}

void Footer::EncodeTo(std::string* dst) const {
  const size_t start = dst->size();
  metaindex_handle_.EncodeTo(dst);
  index_handle_.EncodeTo(dst);
  dst->resize(start + kHandlesSize, '\0');
  PutFixed32(dst, format_version_);
  PutFixed64(dst, kTableMagicNumber);
  PutFixed32(dst, Checksum32(dst->data() + start, kSize - 4));
}

Status Footer::DecodeFrom(const Slice& input, const std::string& what, uint64_t offset) {
  if (input.size() != kSize) return TableCorruption(what, offset, "footer has wrong size");
  const char* p = input.data();
  if (DecodeFixed64(p + kHandlesSize + 4) != kTableMagicNumber) {
    return TableCorruption(what, offset, "bad table magic number (not an sst file)");
  }
  if (DecodeFixed32(p + kSize - 4) != Checksum32(p, kSize - 4)) {
    return TableCorruption(what, offset, "footer checksum mismatch");
  }
  format_version_ = DecodeFixed32(p + kHandlesSize);
  if (format_version_ != kTableFormatVersion) {
    return TableCorruption(what, offset,
                           "unsupported table format version " + std::to_string(format_version_));
  }
  Slice handles(p, kHandlesSize);
  if (!metaindex_handle_.DecodeFrom(&handles) || !index_handle_.DecodeFrom(&handles)) {
    return TableCorruption(what, offset, "malformed block handle in footer");
  }
  return Status::OK();
}

void AppendBlockTrailer(const Slice& stored, BlockType type, uint32_t uncompressed_size,
                        std::string* dst) {
  char buf[kBlockTrailerSize];
  buf[0] = static_cast<char>(type);
  EncodeFixed32(buf + 1, uncompressed_size);
  ChecksumStream crc;
  crc.Update(stored);
  crc.Update(Slice(buf, 5));
  EncodeFixed32(buf + 5, static_cast<uint32_t>(crc.Digest()));
  dst->append(buf, kBlockTrailerSize);
}

namespace {

// The raw bytes of the calling thread's last block read. A compressed block
// (the usual case) is only decompressed out of them, so keeping the buffer
// saves an allocation and a free per read.
char* ReadScratch(size_t n) {
  thread_local std::unique_ptr<char[]> buf;
  thread_local size_t capacity = 0;
  if (capacity < n || capacity > (4u << 20)) {  // grow, or drop one huge block's buffer
    buf.reset();
    capacity = std::max<size_t>(n, 16 << 10);
    buf.reset(new char[capacity]);
  }
  return buf.get();
}

}  // namespace

Status ReadBlock(const RandomAccessFile* file, const std::string& file_name,
                 const ReadOptions& options, const BlockHandle& handle, BlockContents* result) {
  const uint64_t offset = handle.offset();
  if (handle.size() > kMaxStoredBlockSize) {
    return TableCorruption(file_name, offset, "block handle size out of range");
  }
  const size_t n = static_cast<size_t>(handle.size());
  char* scratch = ReadScratch(n + kBlockTrailerSize);
  Slice raw;
  Status s = file->Read(offset, n + kBlockTrailerSize, &raw, scratch);
  if (!s.ok()) return s;
  if (raw.size() != n + kBlockTrailerSize) {
    return TableCorruption(file_name, offset, "truncated block read");
  }
  const char* data = raw.data();
  const uint8_t type = static_cast<uint8_t>(data[n]);
  const uint32_t uncompressed_size = DecodeFixed32(data + n + 1);
  if (options.verify_checksums) {
    const uint32_t expected = DecodeFixed32(data + n + 5);
    const uint32_t actual = Checksum32(data, n + 5);
    if (expected != actual) {
      return TableCorruption(file_name, offset, "block checksum mismatch");
    }
  }
  switch (type) {
    case kBlockTypeNone: {
      if (uncompressed_size != n) {
        return TableCorruption(file_name, offset, "uncompressed block size mismatch");
      }
      // The bytes are in the scratch buffer (or the file's own memory): copy
      // them into memory the block owns.
      std::unique_ptr<char[]> copy(new char[n == 0 ? 1 : n]);
      if (n > 0) memcpy(copy.get(), data, n);
      result->data = Slice(copy.get(), n);
      result->owned = std::move(copy);
      return Status::OK();
    }
    case kBlockTypeLZ4: {
      if (uncompressed_size > kMaxLZ4Ratio * n + 16) {
        return TableCorruption(file_name, offset, "LZ4 block claims an impossible size");
      }
      std::unique_ptr<char[]> out(new char[uncompressed_size == 0 ? 1 : uncompressed_size]);
      static const std::string kNoContext;  // the message is built below, only on failure
      s = LZ4Uncompress(Slice(data, n), uncompressed_size, out.get(), kNoContext);
      if (!s.ok()) return TableCorruption(file_name, offset, "LZ4 block is malformed");
      result->data = Slice(out.get(), uncompressed_size);
      result->owned = std::move(out);
      return Status::OK();
    }
    default:
      return TableCorruption(file_name, offset,
                             "unknown block compression type " + std::to_string(type));
  }
}

}  // namespace lode
