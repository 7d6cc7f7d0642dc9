// CompactionJob: runs one Compaction. Merges the inputs through a
// CompactionIterator, writes and syncs the output tables, and fills the
// compaction's edit with everything LogAndApply needs: deleted inputs, added
// outputs (with their exact blob refs), blob garbage.
//
// Blob accounting is always done by the job itself, whatever handler is
// given: a blob index dropped, or replaced by the handler (relocation), is
// garbage of its blob file; the blob indexes written are the blob refs of the
// table they are written to. A custom handler therefore only decides values;
// it adds its own records (e.g. new blob files) to the edit itself.
//
// Used by one thread. The caller owns the Compaction and the context's
// pointees, which must outlive the job.
#ifndef LODE_LIB_COMPACTION_JOB_H_
#define LODE_LIB_COMPACTION_JOB_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lib/blob_accounting.h"
#include "lib/compaction_iterator.h"
#include "lib/dbformat.h"
#include "lib/version_edit.h"
#include "lode/options.h"
#include "lode/status.h"

namespace lode {

class Compaction;
class TableCache;

struct CompactionJobContext {
  std::string dbname;
  const Options* options = nullptr;
  const InternalKeyComparator* icmp = nullptr;
  TableCache* table_cache = nullptr;
  std::vector<SequenceNumber> snapshots;  // sorted ascending
  // The DB's: allocates a file number and registers it as a pending output.
  std::function<uint64_t()> new_file_number;
  const std::atomic<bool>* shutting_down = nullptr;
  // nullptr: values are kept as they are.
  CompactionEntryHandler* handler = nullptr;
};

struct CompactionJobStats {
  uint64_t bytes_read = 0;     // input table bytes
  uint64_t bytes_written = 0;  // output table bytes
  uint64_t entries_in = 0;
  uint64_t entries_out = 0;
  uint64_t entries_dropped = 0;
  uint64_t tombstones_dropped = 0;
  uint64_t values_replaced = 0;  // by the handler
  uint64_t num_output_files = 0;
  uint64_t micros = 0;
};

// One finished output table.
struct CompactionOutput {
  FileMetaData meta;  // refs and being_compacted unused
};

class CompactionJob {
 public:
  CompactionJob(const CompactionJobContext& ctx, Compaction* c);
  ~CompactionJob();

  CompactionJob(const CompactionJob&) = delete;
  CompactionJob& operator=(const CompactionJob&) = delete;

  // REQUIRES: DB mutex NOT held. Merges inputs, writes and syncs every output
  // table. Fills c->edit() with: deleted inputs, added outputs (with
  // blob_refs), blob garbage. On any failure (including shutdown: IOError)
  // deletes every file it created and returns the error; c->edit() is then
  // unspecified.
  Status Run();

  // Deletes the outputs again. Call it if LogAndApply of the edit fails.
  void Cleanup();

  const CompactionJobStats& stats() const { return stats_; }
  const std::vector<CompactionOutput>& outputs() const { return outputs_; }
  // Every file number the job allocated (pending outputs to release).
  const std::vector<uint64_t>& created_files() const { return created_; }
  // What the job counted (kept: over all outputs; dropped: the garbage).
  const BlobAccounting& blob_accounting() const { return accounting_; }

 private:
  class Handler;
  struct Output;

  Status OpenOutput();
  Status FinishOutput();
  void AbandonOutput();

  const CompactionJobContext ctx_;
  Compaction* const c_;
  Env* const env_;
  BlobAccounting accounting_;
  CompactionJobStats stats_;
  std::vector<CompactionOutput> outputs_;
  std::vector<uint64_t> created_;  // every file number this job created
  std::unique_ptr<Output> out_;    // the output being written
};

}  // namespace lode

#endif  // LODE_LIB_COMPACTION_JOB_H_
