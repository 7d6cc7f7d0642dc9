#include "lib/table_cache.h"

#include "lib/filename.h"
#include "lib/util/coding.h"
#include "lode/env.h"
#include "table/table.h"

namespace lode {

namespace {

// The cache value: a heap-held shared_ptr, so iterators and GetTable callers
// can keep the reader alive past eviction.
using TableRef = std::shared_ptr<Table>;

void DeleteEntry(const Slice& /*key*/, void* value) { delete static_cast<TableRef*>(value); }

}  // namespace

TableCache::TableCache(std::string dbname, const Options& options,
                       const InternalKeyComparator* icmp, std::shared_ptr<Cache> block_cache,
                       int max_open_tables)
    : env_(options.env != nullptr ? options.env : Env::Default()),
      dbname_(std::move(dbname)),
      options_(options),
      icmp_(icmp),
      block_cache_(std::move(block_cache)),
      cache_(NewLRUCache(static_cast<size_t>(std::max(1, max_open_tables)))) {}

TableCache::~TableCache() = default;

Status TableCache::FindTable(uint64_t file_number, uint64_t file_size, Cache::Handle** handle) {
  char buf[8];
  EncodeFixed64(buf, file_number);
  Slice key(buf, sizeof(buf));
  *handle = cache_->Lookup(key);
  if (*handle != nullptr) return Status::OK();

  const std::string fname = TableFileName(dbname_, file_number);
  std::unique_ptr<RandomAccessFile> file;
  Status s = env_->NewRandomAccessFile(fname, &file);
  // Only live tables are looked up here: a missing one is damage to the DB,
  // and must not read as "key not found".
  if (s.IsNotFound()) {
    return Status::Corruption(fname, "live table file is missing");
  }
  if (!s.ok()) return s;
  TableReaderOptions topts;
  topts.icmp = icmp_;
  topts.block_cache = block_cache_;
  topts.file_name = fname;
  topts.paranoid_checks = options_.paranoid_checks;
  std::unique_ptr<Table> table;
  s = Table::Open(topts, std::move(file), file_size, &table);
  // Errors are not cached: a transient failure is retried on the next use.
  if (!s.ok()) return s;
  *handle = cache_->Insert(key, new TableRef(std::move(table)), 1, &DeleteEntry);
  return Status::OK();
}

Iterator* TableCache::NewIterator(const ReadOptions& ro, uint64_t file_number, uint64_t file_size) {
  Cache::Handle* handle = nullptr;
  Status s = FindTable(file_number, file_size, &handle);
  if (!s.ok()) return NewEmptyIterator(s);
  TableRef table = *static_cast<TableRef*>(cache_->Value(handle));
  cache_->Release(handle);
  Iterator* iter = table->NewIterator(ro);
  iter->RegisterCleanup([table]() mutable { table.reset(); });
  return iter;
}

Status TableCache::Get(const ReadOptions& ro, uint64_t file_number, uint64_t file_size,
                       const Slice& ikey, FunctionRef<void(const Slice&, const Slice&)> handle) {
  Cache::Handle* h = nullptr;
  Status s = FindTable(file_number, file_size, &h);
  if (!s.ok()) return s;
  const Table* table = static_cast<TableRef*>(cache_->Value(h))->get();
  s = table->InternalGet(ro, ikey, handle);
  cache_->Release(h);
  return s;
}

Status TableCache::GetTable(uint64_t file_number, uint64_t file_size,
                            std::shared_ptr<Table>* table) {
  Cache::Handle* h = nullptr;
  Status s = FindTable(file_number, file_size, &h);
  if (!s.ok()) return s;
  *table = *static_cast<TableRef*>(cache_->Value(h));
  cache_->Release(h);
  return Status::OK();
}

void TableCache::Evict(uint64_t file_number) {
  char buf[8];
  EncodeFixed64(buf, file_number);
  cache_->Erase(Slice(buf, sizeof(buf)));
}

}  // namespace lode
