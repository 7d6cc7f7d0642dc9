// The SSTable's fixed structures: block handles, the block trailer and the
// footer, and ReadBlock, the one routine that fetches and verifies a block.
//
// File layout (doc/table_format.md has the full grammar):
//
//   +--------------------------+
//   | data block 0 | trailer   |   prefix-compressed entries (block_builder.h)
//   | ...                      |
//   | data block N | trailer   |
//   | filter block | trailer   |   optional bloom filter (bloom_filter.h)
//   | properties   | trailer   |   table_properties.h
//   | metaindex    | trailer   |   name -> BlockHandle of each meta block
//   | index block  | trailer   |   separator key -> BlockHandle of data block
//   | footer (kSize bytes)     |
//   +--------------------------+
//
// Block trailer (kBlockTrailerSize = 9 bytes), after the stored block bytes:
//   +--------------+------------------------+---------------------------+
//   | type (1 B)   | uncompressed_size (4 B)| checksum32 (4 B)          |
//   | 0 none 1 lz4 | fixed32, always present| Checksum32(stored | type  |
//   |              |                        |   | uncompressed_size)      |
//   +--------------+------------------------+---------------------------+
//
// Footer (Footer::kSize = 56 bytes), the last bytes of the file:
//   +-------------------------------------------+ 0
//   | metaindex handle | index handle | zero pad | 40 bytes (2 * kMaxEncodedLength)
//   +-------------------------------------------+ 40
//   | format_version   fixed32                  |
//   +-------------------------------------------+ 44
//   | magic            fixed64                  | kTableMagicNumber
//   +-------------------------------------------+ 52
//   | checksum32 of bytes [0, 52)               |
//   +-------------------------------------------+ 56
#ifndef LODE_TABLE_FORMAT_H_
#define LODE_TABLE_FORMAT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "lode/env.h"
#include "lode/options.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

// Bytes "lode_sst" read as a little-endian fixed64.
constexpr uint64_t kTableMagicNumber = 0x7473735f65646f6cull;
// Bumped on any incompatible change of the table format.
constexpr uint32_t kTableFormatVersion = 1;

// Compression type byte of the block trailer. Persisted: values are frozen.
enum BlockType : uint8_t {
  kBlockTypeNone = 0,
  kBlockTypeLZ4 = 1,
};

constexpr size_t kBlockTrailerSize = 9;

// Where a block lives: offset in the file and size of its stored bytes
// (excluding the trailer).
class BlockHandle {
 public:
  // Two varint64s at most.
  static constexpr size_t kMaxEncodedLength = 10 + 10;

  BlockHandle() = default;
  BlockHandle(uint64_t offset, uint64_t size) : offset_(offset), size_(size) {}

  uint64_t offset() const { return offset_; }
  uint64_t size() const { return size_; }
  void set_offset(uint64_t o) { offset_ = o; }
  void set_size(uint64_t s) { size_ = s; }

  void EncodeTo(std::string* dst) const;
  // Consumes the handle from the front of *input; false if malformed.
  bool DecodeFrom(Slice* input);

 private:
  uint64_t offset_ = 0;
  uint64_t size_ = 0;
};

class Footer {
 public:
  static constexpr size_t kHandlesSize = 2 * BlockHandle::kMaxEncodedLength;
  static constexpr size_t kSize = kHandlesSize + 4 + 8 + 4;

  Footer() = default;
  Footer(const BlockHandle& metaindex, const BlockHandle& index)
      : metaindex_handle_(metaindex), index_handle_(index) {}

  const BlockHandle& metaindex_handle() const { return metaindex_handle_; }
  const BlockHandle& index_handle() const { return index_handle_; }
  uint32_t format_version() const { return format_version_; }

  // Appends exactly kSize bytes.
  void EncodeTo(std::string* dst) const;
  // REQUIRES: input.size() == kSize. Checks magic, checksum and version;
  // `what` names the file (and `offset` where the footer starts) in errors.
  Status DecodeFrom(const Slice& input, const std::string& what, uint64_t offset);

 private:
  BlockHandle metaindex_handle_;
  BlockHandle index_handle_;
  uint32_t format_version_ = kTableFormatVersion;
};

// A block's uncompressed bytes. `data` points either into `owned` (heap
// buffer the holder owns) or, when owned is null, at memory the file keeps
// alive (mmap); lode's files always fill `owned`.
struct BlockContents {
  Slice data;
  std::unique_ptr<char[]> owned;
};

// Appends the trailer of `stored` (the bytes as written, compressed or not).
void AppendBlockTrailer(const Slice& stored, BlockType type, uint32_t uncompressed_size,
                        std::string* dst);

// Reads the block at handle from file, checks every length, verifies the
// checksum if options.verify_checksums, and decompresses it. On error
// *result is unchanged and the status (Corruption for bad bytes, or the
// file's IOError) names file_name and handle.offset().
Status ReadBlock(const RandomAccessFile* file, const std::string& file_name,
                 const ReadOptions& options, const BlockHandle& handle, BlockContents* result);

// "file: msg at offset N", the shape of every table Corruption message.
Status TableCorruption(const std::string& file_name, uint64_t offset, const std::string& msg);

}  // namespace lode

#endif  // LODE_TABLE_FORMAT_H_
