// The blob file format: one header, records, one footer. All integers are
// little-endian; every byte of a finished file is covered by a checksum.
// The prose version, with what a reader checks, is doc/blob_format.md.
//
//   blob_file := header record* footer
//
// Header (kSize = 32):
//   +---------+---------+-------------+-------+----------+-------------+----------+
//   | magic   | version | compression | flags | reserved | file_number | checksum |
//   | fixed64 | fixed32 | u8          | u8    | 2 x 0x00 | fixed64     | fixed64  |
//   +---------+---------+-------------+-------+----------+-------------+----------+
//   0         8         12            13      14         16            24        32
//   checksum = XXH3-64 of bytes [0, 24).
//
// Record (a kSize = 30 byte header, then the key and the stored value):
//   +----------+----------+-------------+-------------------+-------------+-------+
//   | checksum | key_size | stored_size | uncompressed_size | compression | flags |
//   | fixed64  | fixed32  | fixed64     | fixed64           | u8          | u8=0  |
//   +----------+----------+-------------+-------------------+-------------+-------+
//   0          8          12            20                  28            29      30
//   +-----------------+------------------------------+
//   | key             | stored value                 |
//   | key_size bytes  | stored_size bytes            |
//   +-----------------+------------------------------+
//   30                30 + key_size                  30 + key_size + stored_size
//   checksum = XXH3-64 of record bytes [8, 30 + key_size + stored_size):
//   the header fields, the key and the stored value, contiguous on disk so a
//   reader that fetched the record in one read checks it in one call.
//   A BlobIndex's offset is the offset of the stored value, so the record
//   starts at index.offset - kSize - key.size().
//
// Footer (kSize = 40):
//   +---------+------------+------------+------------------+----------+
//   | magic   | blob_count | blob_bytes | records_checksum | checksum |
//   | fixed64 | fixed64    | fixed64    | fixed64          | fixed64  |
//   +---------+------------+------------+------------------+----------+
//   0         8            16           24                 32        40
//   blob_bytes       = sum of stored_size over all records (the quantity a
//                      BlobIndex's `size` reports, so garbage accounting can
//                      sum index sizes against it).
//   records_checksum = XXH3-64 of the concatenated 8-byte record checksums,
//                      in file order (catches dropped or reordered records).
//   checksum         = XXH3-64 of bytes [0, 32).
#ifndef LODE_BLOB_BLOB_LOG_FORMAT_H_
#define LODE_BLOB_BLOB_LOG_FORMAT_H_

#include <cstdint>
#include <string>

#include "lode/options.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

// "lodeBLOB" and "lodeBEND" read as little-endian fixed64.
constexpr uint64_t kBlobHeaderMagic = 0x424f4c4265646f6cull;
constexpr uint64_t kBlobFooterMagic = 0x444e454265646f6cull;
constexpr uint32_t kBlobFormatVersion = 1;

// Header flag bits. Unknown bits make a file unreadable (NotSupported).
constexpr uint8_t kBlobFlagEncrypted = 0x01;  // reserved: not written yet
constexpr uint8_t kBlobKnownFlags = kBlobFlagEncrypted;

// True if c is a Compression value this build knows.
bool IsKnownCompression(uint8_t c);

struct BlobLogHeader {
  static constexpr size_t kSize = 32;

  uint32_t version = kBlobFormatVersion;
  Compression compression = Compression::kNone;  // the writer's default
  uint8_t flags = 0;
  uint64_t file_number = 0;

  // Appends exactly kSize bytes, checksum included.
  void EncodeTo(std::string* dst) const;
  // Parses the first kSize bytes of input. Corruption on a short input, a
  // bad magic or checksum; NotSupported on a newer version, unknown flag or
  // compression in a header whose checksum holds.
  Status DecodeFrom(Slice input);
};

struct BlobLogRecordHeader {
  static constexpr size_t kSize = 30;
  static constexpr size_t kChecksumSize = 8;  // the leading checksum field

  uint64_t checksum = 0;
  uint32_t key_size = 0;
  uint64_t stored_size = 0;
  uint64_t uncompressed_size = 0;
  Compression compression = Compression::kNone;

  // Appends exactly kSize bytes with the `checksum` field as it is.
  void EncodeTo(std::string* dst) const;
  // Parses the first kSize bytes of input; does not verify the checksum
  // (that needs the key and value). Corruption on a short input, unknown
  // compression, nonzero flags, or a raw record whose sizes disagree.
  Status DecodeFrom(Slice input);

  // The checksum of a record whose bytes after the checksum field are
  // fields_key (header bytes [8, kSize) followed by the key) and stored.
  static uint64_t ComputeChecksum(const Slice& fields_key, const Slice& stored);
  // The checksum of a record held contiguously: record[0, n) with n =
  // kSize + key_size + stored_size.
  static uint64_t ComputeChecksum(const char* record, size_t n);
};

struct BlobLogFooter {
  static constexpr size_t kSize = 40;

  uint64_t blob_count = 0;
  uint64_t blob_bytes = 0;
  uint64_t records_checksum = 0;

  // Appends exactly kSize bytes, checksum included.
  void EncodeTo(std::string* dst) const;
  // Parses the first kSize bytes of input. Corruption on a short input, a
  // bad magic or checksum.
  Status DecodeFrom(Slice input);
};

// Smallest possible blob file: a header and a footer with no record.
constexpr size_t kBlobFileMinSize = BlobLogHeader::kSize + BlobLogFooter::kSize;

// "<file>: <what> at offset <offset>", the shape of every blob Corruption.
Status BlobCorruption(const std::string& file_name, uint64_t offset, const std::string& what);

}  // namespace lode

#endif  // LODE_BLOB_BLOB_LOG_FORMAT_H_
