// FaultInjectionEnv: an Env that fails chosen I/O calls, for tests of error
// paths (a compaction that fails half way, a GC whose source blob cannot be
// read, a manifest write that fails).
//
// Every call is counted per kind; a rule makes the n-th matching call from
// now on (and optionally every later one) return IOError. Thread-safe.
//
// It also simulates power loss: it remembers, per file written through it,
// how many bytes were synced, and which directory entries (creates, renames
// over an existing name) were made durable by SyncDir. PowerLoss() then
// puts the files back the way a machine losing power would leave them.
// Not modelled: deletes are durable at once (a deleted file never comes back).
// Status has no retryable flag, so every injected error is a plain IOError.
#ifndef LODE_TESTS_UTIL_FAULT_INJECTION_ENV_H_
#define LODE_TESTS_UTIL_FAULT_INJECTION_ENV_H_

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "lib/util/random.h"
#include "lode/env.h"

namespace lode::test {

class FaultInjectionEnv final : public EnvWrapper {
 public:
  // kAny in a rule matches a call of every kind (for sweeps over all calls).
  enum class Op { kCreate, kWrite, kSync, kRead, kRename, kDelete, kSyncDir, kCount, kAny };

  explicit FaultInjectionEnv(Env* target = Env::Default()) : EnvWrapper(target) {}

  // The n-th (0-based) call of op from now on whose file name contains
  // name_part fails; with sticky, every later matching call fails too.
  void FailNth(Op op, uint64_t n, const std::string& name_part = "", bool sticky = false);
  void ClearFaults();
  // Calls of op since construction (or ResetCounts).
  uint64_t Count(Op op) const { return counts_[static_cast<int>(op)].load(); }
  void ResetCounts();
  // Calls of every kind; with reads=false, only the calls that change files.
  uint64_t TotalCount(bool reads = true) const;
  // Matching calls that were failed so far.
  uint64_t Injected() const { return injected_.load(); }
  void ResetInjected() { injected_.store(0); }
  // True while a rule is waiting to fire (or is sticky).
  bool Armed() const {
    std::lock_guard<std::mutex> l(mu_);
    return armed_;
  }

  // ---- Holding a call ----
  // The next call of op whose file name contains name_part waits inside the
  // env, before it touches anything, until Release. WaitUntilHeld returns once
  // a call is waiting: a test can act while a background job sits at a known
  // point (say, a flush about to create its table).
  void HoldNext(Op op, const std::string& name_part);
  void WaitUntilHeld();
  void Release();

  // Checks a call; IOError if a rule says it fails. Used by the file wrappers.
  Status Check(Op op, const std::string& fname);

  Status NewSequentialFile(const std::string& f, std::unique_ptr<SequentialFile>* r) override;
  Status NewRandomAccessFile(const std::string& f, std::unique_ptr<RandomAccessFile>* r) override;
  Status NewWritableFile(const std::string& f, std::unique_ptr<WritableFile>* r) override;
  Status RemoveFile(const std::string& f) override;
  Status RenameFile(const std::string& s, const std::string& t) override;
  Status SyncDir(const std::string& d) override;

  // ---- Power loss ----
  // While inactive (the power is off), every call that changes a file or a
  // directory fails with IOError; reads still work. Deactivate, then close
  // the DB, so nothing it does on the way down reaches the "disk".
  void SetFilesystemActive(bool active);
  bool FilesystemActive() const;
  // Makes the files look as after a power loss, then forgets the tracking
  // (what is left is durable). rnd == nullptr: every unsynced byte and every
  // unsynced directory entry is lost. Otherwise each file keeps a random part
  // of its unsynced tail and each unsynced new entry survives with chance 1/2
  // (a disk may have written more than was asked to be durable).
  // REQUIRES: no file written through this env is still open for writing.
  Status PowerLoss(Random* rnd = nullptr);
  // Forgets the tracking: everything on disk now counts as durable.
  void ForgetUnsynced();
  // Files written through this env with unsynced bytes or entries (for tests).
  size_t UnsyncedFiles() const;

  // With true, Sync and SyncDir are only recorded (Sync flushes to the OS):
  // a test that simulates power loss with PowerLoss needs no real fsync.
  void SetSkipRealSync(bool skip) { skip_real_sync_.store(skip); }
  bool SkipRealSync() const { return skip_real_sync_.load(); }

  // Used by the file wrappers.
  void OnAppend(const std::string& fname, size_t n);
  void OnSync(const std::string& fname);

 private:
  struct FileState {
    uint64_t pos = 0;           // bytes appended through this env
    uint64_t synced = 0;        // bytes made durable by Sync
    bool entry_synced = false;  // the directory entry is durable
    bool had_old = false;       // a rename replaced a durable file ...
    std::string old_contents;   // ... whose contents come back if the entry is lost
  };

  bool active_ = true;
  std::atomic<bool> skip_real_sync_{false};
  std::map<std::string, FileState> files_;  // guarded by mu_
  mutable std::mutex mu_;
  bool armed_ = false;
  Op op_ = Op::kWrite;
  uint64_t remaining_ = 0;  // matching calls to let through before failing
  std::string name_part_;
  bool sticky_ = false;
  // Holding: guarded by hold_mu_, not mu_, so a held call blocks nobody else.
  std::mutex hold_mu_;
  std::condition_variable hold_cv_;
  bool hold_armed_ = false;
  bool holding_ = false;
  Op hold_op_ = Op::kCreate;
  std::string hold_name_part_;
  void MaybeHold(Op op, const std::string& fname);
  // Whether a call of op on fname matches a rule for rule_op and name_part.
  static bool RuleMatches(Op rule_op, const std::string& name_part, Op op,
                          const std::string& fname);

  std::atomic<uint64_t> counts_[static_cast<int>(Op::kCount)] = {};
  std::atomic<uint64_t> injected_{0};
};

}  // namespace lode::test

#endif  // LODE_TESTS_UTIL_FAULT_INJECTION_ENV_H_
