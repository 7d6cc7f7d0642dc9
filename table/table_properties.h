// TableProperties: facts about one table, computed by the builder and stored
// in the properties meta block.
//
// The properties block is an ordinary block (block_builder.h) whose keys are
// property names ("lode.num_entries", ...) in bytewise order and whose values
// are varint64s. A reader ignores names it does not know, so properties can
// be added without a format version bump; a known name with a malformed value
// is Corruption. A plain value type: no synchronisation of its own.
#ifndef LODE_TABLE_TABLE_PROPERTIES_H_
#define LODE_TABLE_TABLE_PROPERTIES_H_

#include <cstdint>
#include <string>

#include "lode/options.h"
#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

struct TableProperties {
  uint64_t num_entries = 0;
  uint64_t num_deletions = 0;     // entries of type kTypeDeletion
  uint64_t num_blob_indexes = 0;  // entries of type kTypeBlobIndex
  uint64_t raw_key_bytes = 0;     // sum of internal key sizes
  uint64_t raw_value_bytes = 0;   // sum of value sizes (blob indexes, not blobs)
  uint64_t data_bytes = 0;        // data blocks as stored, trailers included
  uint64_t index_bytes = 0;       // index block as stored, trailer included
  uint64_t filter_bytes = 0;      // filter block as stored, trailer included (0: none)
  uint64_t num_data_blocks = 0;
  Compression compression = Compression::kNone;  // what the builder was asked for

  // Appends the properties block contents (without trailer).
  void EncodeTo(std::string* dst) const;
  // Parses a properties block; errors name file_name and offset.
  Status DecodeFrom(const Slice& contents, const std::string& file_name, uint64_t offset);

  std::string DebugString() const;
};

// Meta block names used in the metaindex block.
inline constexpr const char* kPropertiesBlockName = "lode.properties";
// The plain bloom filter of older tables, and the blocked one written now
// (table/bloom_filter.h). A new name, so that a lode from before the blocked
// layout ignores the filter (as it does any unknown meta block) instead of
// refusing the table.
inline constexpr const char* kFilterBlockName = "lode.filter.bloom";
inline constexpr const char* kBlockedFilterBlockName = "lode.filter.bloom64";

}  // namespace lode

#endif  // LODE_TABLE_TABLE_PROPERTIES_H_
