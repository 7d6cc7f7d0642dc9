// VerifyDB: reads every live table and blob file with checksums on, resolves
// every blob index, and recomputes the garbage invariant of DESIGN.md from
// the tables' contents (not from their metadata).
#include <map>

#include "blob/blob_file_iterator.h"
#include "blob/blob_index.h"
#include "blob/blob_source.h"
#include "lib/db_impl.h"
#include "lib/filename.h"
#include "lib/table_cache.h"
#include "lib/version_set.h"

namespace lode {
namespace {

struct RefSum {
  uint64_t count = 0, bytes = 0;
};

}  // namespace

Status DBImpl::Verify(VerifyReport* report) {
  *report = VerifyReport();
  std::unique_lock<std::mutex> lock(mutex_);
  Version* v = versions_->current();
  v->Ref();
  lock.unlock();

  auto problem = [report](const std::string& what) { report->problems.push_back(what); };
  ReadOptions ro;
  ro.verify_checksums = true;
  ro.fill_cache = false;

  // Tables: every entry, and every blob it points at.
  std::map<uint64_t, RefSum> found_refs;  // blob file -> refs found in table contents
  for (int level = 0; level < v->NumLevels(); level++) {
    for (const FileMetaData* f : v->files(level)) {
      report->tables_checked++;
      const std::string fname = TableFileName(dbname_, f->number);
      std::map<uint64_t, RefSum> table_refs;
      std::unique_ptr<Iterator> it(table_cache_->NewIterator(ro, f->number, f->file_size));
      uint64_t entries = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        entries++;
        ParsedInternalKey ikey;
        if (!ParseInternalKey(it->key(), &ikey)) {
          problem(BaseName(fname) + ": malformed internal key in entry " + std::to_string(entries));
          continue;
        }
        if (ikey.type != kTypeBlobIndex) continue;
        BlobIndex index;
        Status s = index.DecodeFrom(it->value());
        if (!s.ok()) {
          problem(BaseName(fname) + ": bad blob index for key " + ikey.DebugString() + ": " +
                  s.ToString());
          continue;
        }
        RefSum& r = table_refs[index.file_number];
        r.count++;
        r.bytes += index.size;
        std::string value;
        s = blob_source_->GetBlob(ro, ikey.user_key, index, &value);
        report->blob_refs_checked++;
        if (!s.ok()) problem(BaseName(fname) + ": key " + ikey.DebugString() + ": " + s.ToString());
      }
      if (!it->status().ok()) problem(it->status().ToString());
      report->table_entries += entries;
      report->bytes_checked += f->file_size;
      if (entries != f->num_entries) {
        problem(BaseName(fname) + ": manifest says " + std::to_string(f->num_entries) +
                " entries, table has " + std::to_string(entries));
      }
      // The table's metadata must list exactly what it points into.
      std::map<uint64_t, RefSum> meta_refs;
      for (const BlobRef& r : f->blob_refs) meta_refs[r.blob_file_number] = {r.count, r.bytes};
      for (const auto& [number, sum] : table_refs) {
        auto m = meta_refs.find(number);
        if (m == meta_refs.end() || m->second.count != sum.count || m->second.bytes != sum.bytes) {
          problem(BaseName(fname) + ": blob refs into " + BaseName(BlobFileName(dbname_, number)) +
                  " are " + std::to_string(sum.count) + " blobs / " + std::to_string(sum.bytes) +
                  " bytes, manifest says " +
                  (m == meta_refs.end() ? std::string("none")
                                        : std::to_string(m->second.count) + " / " +
                                              std::to_string(m->second.bytes)));
        }
        found_refs[number].count += sum.count;
        found_refs[number].bytes += sum.bytes;
      }
      for (const auto& [number, sum] : meta_refs) {
        if (table_refs.count(number) == 0) {
          problem(BaseName(fname) + ": manifest lists refs into " +
                  BaseName(BlobFileName(dbname_, number)) + " that the table does not hold");
        }
      }
    }
  }

  // Blob files: every record, then the invariant total = garbage + refs.
  for (const auto& [number, state] : v->blob_files()) {
    report->blob_files_checked++;
    const std::string fname = BlobFileName(dbname_, number);
    std::unique_ptr<BlobFileIterator> it;
    Status s = BlobFileIterator::Open(env_, fname, number, &it);
    if (!s.ok()) {
      problem(s.ToString());
      continue;
    }
    uint64_t count = 0, bytes = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      count++;
      bytes += it->index().size;
    }
    if (!it->status().ok()) problem(it->status().ToString());
    report->blobs_checked += count;
    report->bytes_checked += it->file_size();
    if (count != state.meta->blob_count || bytes != state.meta->blob_bytes) {
      problem(BaseName(fname) + ": holds " + std::to_string(count) + " blobs / " +
              std::to_string(bytes) + " bytes, manifest says " +
              std::to_string(state.meta->blob_count) + " / " +
              std::to_string(state.meta->blob_bytes));
    }
    const RefSum refs = found_refs[number];
    if (state.meta->blob_count != state.garbage_count + refs.count ||
        state.meta->blob_bytes != state.garbage_bytes + refs.bytes) {
      problem(BaseName(fname) + ": garbage invariant broken: total " +
              std::to_string(state.meta->blob_count) + " blobs / " +
              std::to_string(state.meta->blob_bytes) + " bytes != garbage " +
              std::to_string(state.garbage_count) + " / " + std::to_string(state.garbage_bytes) +
              " + referenced " + std::to_string(refs.count) + " / " + std::to_string(refs.bytes));
    }
  }
  for (const auto& [number, sum] : found_refs) {
    if (v->blob_files().count(number) == 0) {
      problem("tables reference " + BaseName(BlobFileName(dbname_, number)) +
              ", which the manifest does not list (" + std::to_string(sum.count) + " blobs)");
    }
  }

  lock.lock();
  v->Unref();
  lock.unlock();
  if (report->problems.empty()) return Status::OK();
  return Status::Corruption(report->problems.front(),
                            std::to_string(report->problems.size()) + " problem(s) in all");
}

Status VerifyDB(const std::string& path, const Options& options, VerifyReport* report) {
  *report = VerifyReport();
  Options o = options;
  o.create_if_missing = false;
  o.error_if_exists = false;
  std::unique_ptr<DB> db;
  Status s = DB::Open(o, path, &db);
  if (!s.ok()) {
    report->problems.push_back(s.ToString());
    return s;
  }
  return static_cast<DBImpl*>(db.get())->Verify(report);
}

}  // namespace lode
