#include "lib/flush_job.h"

#include <memory>

#include "blob/blob_file_builder.h"
#include "blob/blob_index.h"
#include "lib/blob_accounting.h"
#include "lib/compaction_iterator.h"
#include "lib/filename.h"
#include "lib/memtable.h"
#include "lib/table_cache.h"
#include "lib/version_set.h"
#include "lib/write_time_blobs.h"
#include "lode/env.h"
#include "table/table_builder.h"

namespace lode {
namespace {

// The stored bytes of the blob that the newest version of user_key holds in
// base, or 0: none, inline, deleted, or unreadable (an estimate gives up
// quietly; a read or compaction of that table reports the damage).
uint64_t ShadowedBlobBytes(Version* base, const Slice& user_key) {
  ReadOptions ro;
  ro.fill_cache = false;  // one probe per flushed key must not evict readers' blocks
  std::string value;
  ValueType type = kTypeValue;
  if (!base->Get(ro, LookupKey(user_key, kMaxSequenceNumber), &value, &type).ok() ||
      type != kTypeBlobIndex) {
    return 0;
  }
  BlobIndex index;
  return index.DecodeFrom(value).ok() ? index.size : 0;
}

}  // namespace

Status RunFlushJob(const FlushJobContext& ctx, MemTable* mem, WriteTimeBlobs* write_blobs,
                   FlushResult* result) {
  *result = FlushResult();
  const Options& o = ctx.options;
  Env* env = ctx.env;

  const uint64_t table_number = ctx.new_file_number();
  result->created_files.push_back(table_number);
  const std::string table_name = TableFileName(ctx.dbname, table_number);

  BlobFileBuilderOptions bopts;
  bopts.env = env;
  bopts.dbname = ctx.dbname;
  bopts.min_blob_size = o.min_blob_size;
  bopts.blob_file_size = o.blob_file_size;
  bopts.compression = o.blob_compression;
  bopts.writeback_bytes = kBackgroundWritebackBytes;
  bopts.new_file_number = [&ctx, result] {
    const uint64_t n = ctx.new_file_number();
    result->created_files.push_back(n);
    return n;
  };
  BlobFileBuilder blobs(bopts);

  std::unique_ptr<WritableFile> file;
  Status s = env->NewWritableFile(table_name, &file);
  if (!s.ok()) {
    blobs.Abandon();
    return s;
  }
  TableBuilderOptions topts;
  topts.icmp = ctx.icmp;
  topts.block_size = o.block_size;
  topts.bloom_bits_per_key = o.bloom_bits_per_key;
  topts.compression = o.compression;
  TableBuilder builder(topts, file.get());

  // Counts the blob indexes the table keeps (its blob refs) and those it
  // drops: values separated at write time that a newer entry or a deletion
  // hides are garbage from birth.
  BlobAccounting accounting;
  std::unique_ptr<Iterator> input(write_blobs != nullptr
                                      ? NewWriteTimeBlobIterator(mem->NewIterator(), write_blobs)
                                      : mem->NewIterator());
  CompactionIterator iter(input.get(), ctx.icmp->user_comparator(), ctx.snapshots,
                          /*bottommost=*/false, &accounting);
  FileMetaData& meta = result->table;
  meta.number = table_number;
  std::string separated_key, blob_index, probed_key;
  bool probed = false;
  for (iter.SeekToFirst(); s.ok() && iter.Valid(); iter.Next()) {
    Slice key = iter.key();
    Slice value = iter.value();
    ParsedInternalKey ikey;
    if (!ParseInternalKey(key, &ikey)) {
      s = Status::Corruption("flush: malformed internal key in memtable");
      break;
    }
    if (ikey.type == kTypeValue && o.enable_blob_files) {
      bool separated = false;
      s = blobs.Add(ikey.user_key, value, &blob_index, &separated);
      if (!s.ok()) break;
      if (separated) {
        separated_key.clear();
        AppendInternalKey(&separated_key,
                          ParsedInternalKey(ikey.user_key, ikey.sequence, kTypeBlobIndex));
        key = separated_key;
        value = blob_index;
        ikey.type = kTypeBlobIndex;
        s = accounting.AddKept(blob_index);
        if (!s.ok()) break;
      }
    }
    // The newest entry of a key (the first the iterator yields) shadows
    // what the tree holds for it. Only separated values and deletions are
    // looked up, so a table of small values costs none.
    if (ctx.base != nullptr && o.enable_blob_files &&
        !(probed && ctx.icmp->user_comparator()->Compare(ikey.user_key, probed_key) == 0)) {
      probed_key.assign(ikey.user_key.data(), ikey.user_key.size());
      probed = true;
      if (ikey.type == kTypeBlobIndex || ikey.type == kTypeDeletion) {
        meta.shadowed_blob_bytes += ShadowedBlobBytes(ctx.base, ikey.user_key);
      }
    }
    if (meta.num_entries == 0) meta.smallest.DecodeFrom(key);
    meta.largest.DecodeFrom(key);
    if (meta.num_entries == 0 || ikey.sequence < meta.smallest_seqno) {
      meta.smallest_seqno = ikey.sequence;
    }
    if (ikey.sequence > meta.largest_seqno) meta.largest_seqno = ikey.sequence;
    meta.num_entries++;
    if (ikey.type == kTypeDeletion) meta.num_deletions++;
    builder.Add(key, value);
    s = builder.status();
  }
  if (s.ok()) s = iter.status();

  std::vector<BlobFileAdditionInfo> added;
  if (s.ok())
    s = builder.Finish();
  else
    builder.Abandon();
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  if (s.ok()) {
    s = blobs.Finish(&added);
    // A failed Finish leaves the builder open: abandon it (its files go).
    if (!s.ok()) blobs.Abandon();
  } else {
    blobs.Abandon();
  }
  if (s.ok() && write_blobs != nullptr) {
    // On failure these stay as they are: the WAL names them until a flush
    // installs them.
    s = write_blobs->Finish(&added);
    if (s.ok()) result->write_time_files = write_blobs->created_files();
  }
  // The new names must be durable before a manifest record points at them.
  if (s.ok()) s = env->SyncDir(ctx.dbname);
  if (s.ok()) {
    meta.file_size = builder.FileSize();
    meta.blob_refs = accounting.TakeKeptRefs();
    // Check the table reads back before anyone depends on it.
    std::unique_ptr<Iterator> check(
        ctx.table_cache->NewIterator(ReadOptions(), table_number, meta.file_size));
    s = check->status();
  }
  if (s.ok()) {
    result->has_table = meta.num_entries > 0;
    AppendBlobFileAdditions(added, &result->blob_files);
    for (const BlobFileAddition& b : result->blob_files) result->blob_bytes += b.file_size;
    for (const auto& [number, garbage] : accounting.dropped()) result->garbage.push_back(garbage);
  }
  if (!s.ok() || !result->has_table) {
    env->RemoveFile(table_name);
    if (!s.ok()) {
      for (uint64_t n : result->created_files) env->RemoveFile(BlobFileName(ctx.dbname, n));
    }
  }
  return s;
}

}  // namespace lode
