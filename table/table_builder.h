// TableBuilder: writes one SSTable (layout in table/format.h and
// doc/table_format.md) from internal keys added in order.
//
// The builder appends to a WritableFile it does not own and never syncs or
// closes it: the caller syncs and closes after Finish. Either Finish or
// Abandon must be called before destruction. Not thread-safe.
#ifndef LODE_TABLE_TABLE_BUILDER_H_
#define LODE_TABLE_TABLE_BUILDER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "lib/dbformat.h"
#include "lode/env.h"
#include "lode/options.h"
#include "lode/status.h"
#include "table/block_builder.h"
#include "table/bloom_filter.h"
#include "table/format.h"
#include "table/table_properties.h"

namespace lode {

struct TableBuilderOptions {
  const InternalKeyComparator* icmp = nullptr;  // required
  size_t block_size = 4096;                     // target uncompressed data block size
  int block_restart_interval = 16;
  int bloom_bits_per_key = 10;  // 0: no filter
  Compression compression = Compression::kLZ4;
  // Writes the filter in the plain layout under its old name, as lode did
  // before the blocked layout: only for tests of reading older tables.
  bool legacy_plain_filter = false;
};

class TableBuilder {
 public:
  // REQUIRES: options.icmp != nullptr; file stays alive until Finish/Abandon.
  TableBuilder(const TableBuilderOptions& options, WritableFile* file);
  TableBuilder(const TableBuilder&) = delete;
  TableBuilder& operator=(const TableBuilder&) = delete;
  ~TableBuilder();  // REQUIRES: Finish or Abandon was called

  // REQUIRES: keys strictly increasing by icmp; Finish/Abandon not called.
  // internal_key must be a well-formed internal key (>= 8 bytes).
  void Add(const Slice& internal_key, const Slice& value);

  // The first error met while writing (Add after an error does nothing).
  Status status() const { return status_; }

  // Writes the last data block, filter, properties, metaindex, index and
  // footer. Does not Sync. REQUIRES: Finish/Abandon not called.
  Status Finish();
  // Stops building; the caller deletes the file. REQUIRES: Finish/Abandon not called.
  void Abandon();

  uint64_t NumEntries() const { return props_.num_entries; }
  // Bytes written to the file so far; the final file size after Finish.
  uint64_t FileSize() const { return offset_; }
  const TableProperties& properties() const { return props_; }

 private:
  void FlushDataBlock();
  // Writes contents (compressed if allowed and worth it) with its trailer.
  void WriteBlock(const Slice& contents, bool allow_compression, BlockHandle* handle);
  void WriteRaw(const Slice& stored, BlockType type, uint32_t uncompressed_size,
                BlockHandle* handle);

  const TableBuilderOptions options_;
  WritableFile* const file_;
  uint64_t offset_ = 0;
  Status status_;
  bool closed_ = false;

  BlockBuilder data_block_;
  BlockBuilder index_block_;
  std::unique_ptr<BloomFilterBuilder> filter_;
  TableProperties props_;

  std::string last_key_;
  // After a data block is flushed, its index entry waits for the next key so
  // that the separator can be shortened against it.
  bool pending_index_entry_ = false;
  BlockHandle pending_handle_;

  std::string compressed_;  // scratch
  std::string trailer_;     // scratch
};

}  // namespace lode

#endif  // LODE_TABLE_TABLE_BUILDER_H_
