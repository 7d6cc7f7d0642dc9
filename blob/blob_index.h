// BlobIndex: the indirection an LSM entry of type kTypeBlobIndex holds in
// place of a large value. It names the blob file and the byte range of the
// stored (maybe compressed) value in it, so a reader can fetch and verify one
// blob with a single positioned read (see doc/blob_format.md).
//
// A value type: copy freely; distinct threads may use distinct objects.
//
// Encoding (BlobIndex::EncodeTo):
//   type              u8        kBlobIndexTypeV1 (= 1)
//   file_number       varint64
//   offset            varint64  first byte of the stored value in the file
//   size              varint64  stored value bytes (after compression)
//   compression       u8        lode::Compression of the stored bytes
//   uncompressed_size varint64  only when compression != kNone
//                               (otherwise it equals size)
#ifndef LODE_BLOB_BLOB_INDEX_H_
#define LODE_BLOB_BLOB_INDEX_H_

#include <cstdint>
#include <string>

#include "lode/options.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

struct BlobIndex {
  // The first byte of an encoded index. Frozen: a new encoding gets a new tag.
  static constexpr unsigned char kBlobIndexTypeV1 = 1;
  // Upper bound of an encoded index: type + 4 varint64 + compression byte.
  static constexpr size_t kMaxEncodedLength = 1 + 4 * 10 + 1;

  uint64_t file_number = 0;
  uint64_t offset = 0;             // of the stored value bytes in the file
  uint64_t size = 0;               // stored bytes (what garbage accounting sums)
  uint64_t uncompressed_size = 0;  // bytes the user wrote
  Compression compression = Compression::kNone;

  // Appends the encoding to *dst.
  void EncodeTo(std::string* dst) const;
  // Parses exactly `input` (trailing bytes are an error). On failure returns
  // Corruption and leaves *this unspecified.
  Status DecodeFrom(Slice input);
  // "file=12 offset=4138 size=1000 uncompressed=4096 compression=lz4"
  std::string DebugString() const;

  bool operator==(const BlobIndex&) const = default;
};

}  // namespace lode

#endif  // LODE_BLOB_BLOB_INDEX_H_
