#include "lib/compaction_job.h"

#include <algorithm>
#include <cassert>

#include "lib/compaction.h"
#include "lib/filename.h"
#include "lib/level_iterator.h"
#include "lib/table_cache.h"
#include "lib/version_set.h"
#include "lode/env.h"
#include "table/merging_iterator.h"
#include "table/table.h"
#include "table/table_builder.h"

namespace lode {

// Puts the job's own accounting behind the caller's handler, so that garbage
// is exact whatever the handler does with values.
class CompactionJob::Handler final : public CompactionEntryHandler {
 public:
  Handler(CompactionEntryHandler* user, BlobAccounting* accounting)
      : user_(user), accounting_(accounting) {}

  Status OnKeep(const ParsedInternalKey& key, const Slice& value, std::string* new_value,
                bool* replaced) override {
    *replaced = false;
    if (user_ == nullptr) return Status::OK();
    Status s = user_->OnKeep(key, value, new_value, replaced);
    if (s.ok() && *replaced && key.type == kTypeBlobIndex) {
      // Relocated: the old blob is garbage of its file from now on.
      s = accounting_->AddDropped(value);
    }
    return s;
  }

  void OnDrop(const ParsedInternalKey& key, const Slice& value) override {
    if (user_ != nullptr) user_->OnDrop(key, value);
    accounting_->OnDrop(key, value);
  }

 private:
  CompactionEntryHandler* const user_;
  BlobAccounting* const accounting_;
};

struct CompactionJob::Output {
  uint64_t number = 0;
  std::unique_ptr<WritableFile> file;
  std::unique_ptr<TableBuilder> builder;
  FileMetaData meta;
};

CompactionJob::CompactionJob(const CompactionJobContext& ctx, Compaction* c)
    : ctx_(ctx), c_(c), env_(ctx.options->env != nullptr ? ctx.options->env : Env::Default()) {}

CompactionJob::~CompactionJob() { AbandonOutput(); }

Status CompactionJob::OpenOutput() {
  assert(out_ == nullptr);
  auto out = std::make_unique<Output>();
  out->number = ctx_.new_file_number();
  created_.push_back(out->number);  // before the file exists: Cleanup covers it
  Status s = env_->NewWritableFile(TableFileName(ctx_.dbname, out->number), &out->file);
  if (!s.ok()) return s;
  TableBuilderOptions topts;
  topts.icmp = ctx_.icmp;
  topts.block_size = ctx_.options->block_size;
  topts.bloom_bits_per_key = ctx_.options->bloom_bits_per_key;
  topts.compression = ctx_.options->compression;
  out->builder = std::make_unique<TableBuilder>(topts, out->file.get());
  out->meta.number = out->number;
  out_ = std::move(out);
  return Status::OK();
}

Status CompactionJob::FinishOutput() {
  assert(out_ != nullptr);
  std::unique_ptr<Output> out = std::move(out_);
  Status s = out->builder->Finish();
  if (s.ok()) s = out->file->Sync();
  Status close = out->file->Close();
  if (s.ok()) s = close;
  if (!s.ok()) return s;
  FileMetaData& meta = out->meta;
  meta.file_size = out->builder->FileSize();
  meta.num_entries = out->builder->NumEntries();
  meta.blob_refs = accounting_.TakeKeptRefs();
  // Open it once before it is installed: a table that cannot be read must
  // not replace its inputs.
  std::shared_ptr<Table> table;
  s = ctx_.table_cache->GetTable(meta.number, meta.file_size, &table);
  if (!s.ok()) return s;
  stats_.bytes_written += meta.file_size;
  stats_.num_output_files++;
  outputs_.push_back(CompactionOutput{std::move(meta)});
  return Status::OK();
}

void CompactionJob::AbandonOutput() {
  if (out_ == nullptr) return;
  if (out_->builder != nullptr) out_->builder->Abandon();
  if (out_->file != nullptr) out_->file->Close();
  out_.reset();
}

void CompactionJob::Cleanup() {
  AbandonOutput();
  for (uint64_t number : created_) {
    ctx_.table_cache->Evict(number);
    const std::string fname = TableFileName(ctx_.dbname, number);
    if (env_->FileExists(fname)) env_->RemoveFile(fname);
  }
  created_.clear();
  outputs_.clear();
}

Status CompactionJob::Run() {
  const uint64_t start_micros = env_->NowMicros();
  stats_.bytes_read = c_->TotalInputBytes();

  ReadOptions ro;
  ro.verify_checksums = true;
  ro.fill_cache = false;  // a one-pass read would only evict hot blocks
  std::vector<Iterator*> children;
  if (c_->level() == 0) {
    for (const FileMetaData* f : c_->inputs(0)) {
      children.push_back(ctx_.table_cache->NewIterator(ro, f->number, f->file_size));
    }
  } else if (!c_->inputs(0).empty()) {
    children.push_back(NewLevelIterator(ctx_.table_cache, ctx_.icmp, ro, c_->inputs(0)));
  }
  if (!c_->inputs(1).empty()) {
    children.push_back(NewLevelIterator(ctx_.table_cache, ctx_.icmp, ro, c_->inputs(1)));
  }
  std::unique_ptr<Iterator> input(NewMergingIterator(ctx_.icmp, std::move(children)));

  Handler handler(ctx_.handler, &accounting_);
  const bool bottommost = c_->IsBottommost();
  std::function<bool(const Slice&)> base_level;
  if (!bottommost) base_level = [this](const Slice& uk) { return c_->IsBaseLevelForKey(uk); };
  const Comparator* ucmp = ctx_.icmp->user_comparator();
  CompactionIterator iter(input.get(), ucmp, ctx_.snapshots, bottommost, &handler,
                          std::move(base_level));

  Status s;
  std::string last_user_key;
  bool has_last = false;
  for (iter.SeekToFirst(); iter.Valid(); iter.Next()) {
    if (ctx_.shutting_down != nullptr && ctx_.shutting_down->load(std::memory_order_acquire)) {
      s = Status::IOError("compaction aborted: DB is shutting down");
      break;
    }
    const Slice key = iter.key();
    const ParsedInternalKey& ik = iter.ikey();
    const bool new_user_key = !has_last || ucmp->Compare(ik.user_key, last_user_key) != 0;
    const bool stop = c_->ShouldStopBefore(key);
    // Cut only between user keys: all versions of a key stay in one table,
    // so a level's tables never share a user key.
    if (out_ != nullptr && new_user_key &&
        (stop || out_->builder->FileSize() >= c_->MaxOutputFileSize())) {
      s = FinishOutput();
      if (!s.ok()) break;
    }
    if (out_ == nullptr) {
      s = OpenOutput();
      if (!s.ok()) break;
    }
    if (ik.type == kTypeBlobIndex) {
      s = accounting_.AddKept(iter.value());
      if (!s.ok()) break;
    }
    FileMetaData& meta = out_->meta;
    if (meta.smallest.empty()) {
      meta.smallest.DecodeFrom(key);
      meta.smallest_seqno = meta.largest_seqno = ik.sequence;
    }
    meta.largest.DecodeFrom(key);
    meta.smallest_seqno = std::min(meta.smallest_seqno, ik.sequence);
    meta.largest_seqno = std::max(meta.largest_seqno, ik.sequence);
    if (ik.type == kTypeDeletion) meta.num_deletions++;
    out_->builder->Add(key, iter.value());
    if (new_user_key) {
      last_user_key.assign(ik.user_key.data(), ik.user_key.size());
      has_last = true;
    }
  }
  if (s.ok()) s = iter.status();
  if (s.ok()) s = input->status();
  if (s.ok()) s = accounting_.status();
  if (s.ok() && out_ != nullptr) s = out_->builder->status();
  if (s.ok() && out_ != nullptr) s = FinishOutput();

  const CompactionIteratorStats& is = iter.stats();
  stats_.entries_in = is.entries_in;
  stats_.entries_out = is.entries_out;
  stats_.entries_dropped = is.dropped_hidden + is.dropped_tombstones;
  stats_.tombstones_dropped = is.dropped_tombstones;
  stats_.values_replaced = is.values_replaced;
  stats_.micros = env_->NowMicros() - start_micros;

  if (!s.ok()) {
    input.reset();
    Cleanup();
    return s;
  }

  VersionEdit* edit = c_->edit();
  c_->AddInputDeletions(edit);
  for (const CompactionOutput& o : outputs_) edit->AddFile(c_->output_level(), o.meta);
  accounting_.AddGarbageTo(edit);
  return Status::OK();
}

}  // namespace lode
