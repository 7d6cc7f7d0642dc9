// TableCache: open table readers, kept in an lode::Cache keyed by file
// number so that a hot table is opened (file handle, index, filter) once.
//
// Thread-safe. A reader stays alive while any iterator or shared_ptr handed
// out for it lives, even after Evict or eviction from the cache.
#ifndef LODE_LIB_TABLE_CACHE_H_
#define LODE_LIB_TABLE_CACHE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "lib/dbformat.h"
#include "lib/util/cache.h"
#include "lode/iterator.h"
#include "lode/options.h"
#include "lode/status.h"
#include "table/function_ref.h"

namespace lode {

class Env;
class Table;

class TableCache {
 public:
  // block_cache may be null (no block caching). icmp must outlive the cache.
  TableCache(std::string dbname, const Options& options, const InternalKeyComparator* icmp,
             std::shared_ptr<Cache> block_cache, int max_open_tables);
  ~TableCache();

  TableCache(const TableCache&) = delete;
  TableCache& operator=(const TableCache&) = delete;

  // An iterator over the internal keys of table file_number (never null; an
  // open error is reported by the iterator's status()).
  Iterator* NewIterator(const ReadOptions& ro, uint64_t file_number, uint64_t file_size);

  // Calls handle(ikey, value) for the first entry at or after ikey in the
  // table, if there is one and the filter does not rule ikey's user key out.
  Status Get(const ReadOptions& ro, uint64_t file_number, uint64_t file_size, const Slice& ikey,
             FunctionRef<void(const Slice& ikey, const Slice& value)> handle);

  // The open reader of the table (opening it if needed), for verify and stats.
  Status GetTable(uint64_t file_number, uint64_t file_size, std::shared_ptr<Table>* table);

  // Drops the cached reader (the file is being deleted).
  void Evict(uint64_t file_number);

 private:
  Status FindTable(uint64_t file_number, uint64_t file_size, Cache::Handle** handle);

  Env* const env_;
  const std::string dbname_;
  const Options options_;
  const InternalKeyComparator* const icmp_;
  std::shared_ptr<Cache> block_cache_;
  std::shared_ptr<Cache> cache_;
};

}  // namespace lode

#endif  // LODE_LIB_TABLE_CACHE_H_
