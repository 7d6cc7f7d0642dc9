#include "table/table_properties.h"

#include <map>
#include <memory>

#include "lib/util/coding.h"
#include "lib/util/comparator.h"
#include "table/block.h"
#include "table/block_builder.h"

namespace lode {

namespace {
// Persisted names: frozen once written.
constexpr const char* kNumEntries = "lode.num_entries";
constexpr const char* kNumDeletions = "lode.num_deletions";
constexpr const char* kNumBlobIndexes = "lode.num_blob_indexes";
constexpr const char* kRawKeyBytes = "lode.raw_key_bytes";
constexpr const char* kRawValueBytes = "lode.raw_value_bytes";
constexpr const char* kDataBytes = "lode.data_bytes";
constexpr const char* kIndexBytes = "lode.index_bytes";
constexpr const char* kFilterBytes = "lode.filter_bytes";
constexpr const char* kNumDataBlocks = "lode.num_data_blocks";
constexpr const char* kCompression = "lode.compression";
}  // namespace

void TableProperties::EncodeTo(std::string* dst) const {
  std::map<std::string, uint64_t> props = {
      {kNumEntries, num_entries},          {kNumDeletions, num_deletions},
      {kNumBlobIndexes, num_blob_indexes}, {kRawKeyBytes, raw_key_bytes},
      {kRawValueBytes, raw_value_bytes},   {kDataBytes, data_bytes},
      {kIndexBytes, index_bytes},          {kFilterBytes, filter_bytes},
      {kNumDataBlocks, num_data_blocks},   {kCompression, static_cast<uint64_t>(compression)},
  };
  BlockBuilder builder(1);
  std::string v;
  for (const auto& [name, value] : props) {
    v.clear();
    PutVarint64(&v, value);
    builder.Add(name, v);
  }
  Slice block = builder.Finish();
  dst->append(block.data(), block.size());
}

Status TableProperties::DecodeFrom(const Slice& contents, const std::string& file_name,
                                   uint64_t offset) {
  BlockContents copy;
  copy.owned.reset(new char[contents.size() == 0 ? 1 : contents.size()]);
  if (contents.size() > 0) memcpy(copy.owned.get(), contents.data(), contents.size());
  copy.data = Slice(copy.owned.get(), contents.size());
  Block block(std::move(copy), offset);
  std::unique_ptr<Iterator> it(block.NewIterator(BytewiseComparator(), &file_name));
  const std::map<std::string, uint64_t*> known = {
      {kNumEntries, &num_entries},          {kNumDeletions, &num_deletions},
      {kNumBlobIndexes, &num_blob_indexes}, {kRawKeyBytes, &raw_key_bytes},
      {kRawValueBytes, &raw_value_bytes},   {kDataBytes, &data_bytes},
      {kIndexBytes, &index_bytes},          {kFilterBytes, &filter_bytes},
      {kNumDataBlocks, &num_data_blocks},
  };
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string name = it->key().ToString();
    auto f = known.find(name);
    const bool is_compression = name == kCompression;
    // Unknown names come from a newer lode; their values may be anything.
    if (f == known.end() && !is_compression) continue;
    Slice value = it->value();
    uint64_t v;
    if (!GetVarint64(&value, &v) || !value.empty()) {
      return TableCorruption(file_name, offset, "malformed table property " + name);
    }
    if (is_compression) {
      if (v > static_cast<uint64_t>(Compression::kLZ4)) {
        return TableCorruption(file_name, offset, "unknown compression in table properties");
      }
      compression = static_cast<Compression>(v);
    } else {
      *f->second = v;
    }
  }
  return it->status();
}

std::string TableProperties::DebugString() const {
  std::string r;
  auto add = [&r](const char* name, uint64_t v) {
    r.append(name);
    r.append("=");
    r.append(std::to_string(v));
    r.append("; ");
  };
  add("num_entries", num_entries);
  add("num_deletions", num_deletions);
  add("num_blob_indexes", num_blob_indexes);
  add("raw_key_bytes", raw_key_bytes);
  add("raw_value_bytes", raw_value_bytes);
  add("data_bytes", data_bytes);
  add("index_bytes", index_bytes);
  add("filter_bytes", filter_bytes);
  add("num_data_blocks", num_data_blocks);
  r.append("compression=");
  r.append(compression == Compression::kLZ4 ? "lz4" : "none");
  return r;
}

}  // namespace lode
