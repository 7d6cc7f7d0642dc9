// On-disk layout of an encrypted lode file (see doc/encryption.md).
//
// Every WAL, manifest, table and blob file of an encrypted DB starts with a
// plain file header, then a sequence of AES-256-GCM units:
//
//   file header (kFileHeaderSize = 48 bytes, plain):
//   +-------+---------+--------+-------------+------+--------+------+-----------+----------+
//   | magic | version | key id | file number | type | layout | zero | unit size | zero     |
//   |   8   |    4    |   4    |      8      |  1   |   1    |  2   |     4     |  8       |
//   +-------+---------+--------+-------------+------+--------+------+-----------+----------+
//   | checksum (8): Checksum64 of the 40 bytes before it                                    |
//   +---------------------------------------------------------------------------------------+
//
//   paged layout (tables, blob files: read at random offsets):
//   page i at file offset kFileHeaderSize + i * (unit size + kPageOverhead)
//   +-----------+----------------------------------------+---------+
//   | nonce(12) | ciphertext (unit size bytes; the last  | tag(16) |
//   |           | page 0..unit size bytes)               |         |
//   +-----------+----------------------------------------+---------+
//   The last page is sealed with the "final" flag; it may be empty.
//
//   stream layout (WAL, manifest: appended and synced mid-file):
//   +----------+----------+-----------+-------------------------+---------+
//   | length 4 | check 4  | nonce(12) | ciphertext (length)     | tag(16) |
//   +----------+----------+-----------+-------------------------+---------+
//   length <= unit size; check = Checksum32 of (header checksum, unit index,
//   length) so that a damaged length is Corruption rather than a torn tail.
//   One unit per Flush/Sync (split at unit size): synced bytes are never
//   rewritten.
//
//   indexed layout (blob files: appended, flushed mid-file, read at random
//   offsets): stream units, one per Flush/Sync and per record (a unit closes
//   at a record boundary once it holds kIndexedMinUnit bytes, and at unit
//   size), then at Close an index unit and a plain trailer:
//   +--------+--------+-----+---------------------------+------------------+
//   | unit 0 | unit 1 | ... | index unit (unit index    | trailer (24)     |
//   |        |        |     | kIndexUnitMark, final = 1)|                  |
//   +--------+--------+-----+---------------------------+------------------+
//   index unit plaintext: count (8) | plaintext length of each unit (4 each)
//   trailer: plain size (8) | index unit offset (8) | check (4) | magic (4)
//   check = Checksum32 of (header checksum, plain size, index offset).
//   Without a valid trailer (a file never closed: a crash while it was
//   written) a reader walks the unit headers instead.
//
//   associated data of every unit (kAadSize = 68 bytes, never stored):
//   +----------------------+------------+---------------+--------+-------+
//   | file header [0, 40)  | unit index | plain offset  | length | final |
//   |         40           |     8      |       8       |   4    |   8   |
//   +----------------------+------------+---------------+--------+-------+
//   The header bytes carry file number, file type, key id and unit size, so a
//   unit moved to another file, position or key fails authentication.
#ifndef LODE_LIB_ENCRYPTION_FORMAT_H_
#define LODE_LIB_ENCRYPTION_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

inline constexpr uint64_t kEncryptionMagic = 0x31434e4545444f4cull;  // "LODEENC1"
inline constexpr uint32_t kEncryptionFormatVersion = 1;
inline constexpr size_t kFileHeaderSize = 48;
inline constexpr size_t kFileHeaderChecked = 40;  // bytes covered by the checksum
inline constexpr size_t kKeySize = 32;
inline constexpr size_t kNonceSize = 12;
inline constexpr size_t kTagSize = 16;
inline constexpr size_t kPageOverhead = kNonceSize + kTagSize;
inline constexpr size_t kStreamUnitHeaderSize = 8;  // length + check
inline constexpr size_t kStreamUnitOverhead = kStreamUnitHeaderSize + kNonceSize + kTagSize;
inline constexpr size_t kAadSize = kFileHeaderChecked + 8 + 8 + 4 + 8;
inline constexpr uint32_t kDefaultPageSize = 4 << 10;         // tables, blob files
inline constexpr uint32_t kDefaultStreamUnitSize = 64 << 10;  // WAL, manifest
inline constexpr uint32_t kMinUnitSize = 512;
inline constexpr uint32_t kMaxUnitSize = 4 << 20;

enum class EncryptedFileType : uint8_t { kWal = 1, kManifest = 2, kTable = 3, kBlob = 4 };
enum class EncryptionLayout : uint8_t { kPaged = 0, kStream = 1, kIndexed = 2 };

inline constexpr uint32_t kDefaultIndexedUnitSize = 64 << 10;  // blob files: largest unit
inline constexpr uint32_t kIndexedMinUnit = 4 << 10;  // a record boundary closes a unit this big
inline constexpr uint64_t kIndexUnitMark = ~0ull;     // the index unit's unit index
inline constexpr size_t kIndexedTrailerSize = 24;
inline constexpr uint32_t kIndexedTrailerMagic = 0x3158494c;  // "LIX1"

struct EncryptionFileHeader {
  uint32_t version = kEncryptionFormatVersion;
  uint32_t key_id = 0;
  uint64_t file_number = 0;
  EncryptedFileType file_type = EncryptedFileType::kTable;
  EncryptionLayout layout = EncryptionLayout::kPaged;
  uint32_t unit_size = kDefaultPageSize;

  // Appends exactly kFileHeaderSize bytes.
  void EncodeTo(std::string* dst) const;
  // Checks magic, checksum, version and field ranges; fname names the file
  // in the Corruption message.
  Status DecodeFrom(const Slice& input, const std::string& fname);
};

// True if data starts with the encryption magic (a file written encrypted).
bool HasEncryptionMagic(const Slice& data);

// Associated data of one unit (kAadSize bytes into aad): header bytes
// [0, kFileHeaderChecked), then where the unit belongs.
void BuildUnitAad(const std::string& header, uint64_t index, uint64_t plain_offset, uint32_t length,
                  bool final_unit, char* aad);

// The check field of a stream/indexed unit header: Checksum32 of (header
// checksum, unit index, length). header holds at least kFileHeaderChecked + 8.
uint32_t StreamUnitCheck(const std::string& header, uint64_t index, uint32_t length);

// The check field of an indexed file's trailer: Checksum32 of (header
// checksum, plain size, index unit offset).
uint32_t IndexedTrailerCheck(const std::string& header, uint64_t plain_size, uint64_t index_offset);

// Corruption naming fname, the unit kind ("page", "unit"), its index, its
// file offset and the key id.
Status UnitAuthFailure(const std::string& fname, const char* what, uint64_t index, uint64_t offset,
                       uint32_t key_id);

}  // namespace lode

#endif  // LODE_LIB_ENCRYPTION_FORMAT_H_
