// Log format: the physical layout shared by the WAL and the manifest.
//
// A log file is a sequence of blocks of kBlockSize bytes (the last one may be
// short). A logical record is cut into one or more fragments; a fragment never
// crosses a block boundary. Fewer than kHeaderSize bytes left at the end of a
// block are zero-filled (the block trailer) and skipped by readers.
//
//   fragment := checksum (fixed32) | length (fixed16) | type (1 byte) | payload
//
//   +----------+--------+------+----------------------+
//   | checksum | length | type | payload (length B)   |
//   |   4 B    |  2 B   | 1 B  |                      |
//   +----------+--------+------+----------------------+
//   <-------- kHeaderSize = 7 ------->
//
//   checksum = Checksum32(type byte | payload)   (low 32 bits of XXH3)
//   type     = kLogFormatVersion << 4 | FragmentKind
//
// The high nibble of the type byte is the log format version, so every
// fragment says which format wrote it and a valid type byte is never zero
// (a zero-filled region can never parse as a fragment). Readers refuse
// fragments of any other version. See doc/wal_format.md.
#ifndef LODE_LIB_LOG_FORMAT_H_
#define LODE_LIB_LOG_FORMAT_H_

#include <cstddef>
#include <cstdint>

namespace lode::log {

// Persisted: values are frozen. 0 is never written (zero-filled space).
enum FragmentKind : uint8_t {
  kZeroKind = 0,
  kFullKind = 1,    // a whole record
  kFirstKind = 2,   // first fragment of a record
  kMiddleKind = 3,  // interior fragment
  kLastKind = 4,    // final fragment
};
constexpr uint8_t kMaxFragmentKind = kLastKind;

// Bump when the fragment layout changes; readers reject other versions.
constexpr uint8_t kLogFormatVersion = 1;

constexpr size_t kBlockSize = 32768;
constexpr size_t kChecksumSize = 4;
constexpr size_t kLengthSize = 2;
constexpr size_t kTypeSize = 1;
constexpr size_t kHeaderSize = kChecksumSize + kLengthSize + kTypeSize;
// Offsets of the header fields.
constexpr size_t kChecksumOffset = 0;
constexpr size_t kLengthOffset = 4;
constexpr size_t kTypeOffset = 6;
// The largest payload one fragment can carry.
constexpr size_t kMaxFragmentPayload = kBlockSize - kHeaderSize;

inline uint8_t EncodeFragmentType(FragmentKind kind) {
  return static_cast<uint8_t>((kLogFormatVersion << 4) | kind);
}
inline uint8_t FragmentTypeVersion(uint8_t type) { return type >> 4; }
inline uint8_t FragmentTypeKind(uint8_t type) { return type & 0x0f; }

}  // namespace lode::log

#endif  // LODE_LIB_LOG_FORMAT_H_
