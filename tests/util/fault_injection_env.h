// FaultInjectionEnv: an Env that fails chosen I/O calls, for tests of error
// paths (a compaction that fails half way, a GC whose source blob cannot be
// read, a manifest write that fails).
//
// Every call is counted per kind; a rule makes the n-th matching call from
// now on (and optionally every later one) return IOError. Thread-safe.
#ifndef LODE_TESTS_UTIL_FAULT_INJECTION_ENV_H_
#define LODE_TESTS_UTIL_FAULT_INJECTION_ENV_H_

#include <atomic>
#include <mutex>
#include <string>

#include "lode/env.h"

namespace lode::test {

class FaultInjectionEnv final : public EnvWrapper {
 public:
  enum class Op { kCreate, kWrite, kSync, kRead, kRename, kDelete, kCount };

  explicit FaultInjectionEnv(Env* target = Env::Default()) : EnvWrapper(target) {}

  // The n-th (0-based) call of op from now on whose file name contains
  // name_part fails; with sticky, every later matching call fails too.
  void FailNth(Op op, uint64_t n, const std::string& name_part = "", bool sticky = false);
  void ClearFaults();
  // Calls of op since construction (or ResetCounts).
  uint64_t Count(Op op) const { return counts_[static_cast<int>(op)].load(); }
  void ResetCounts();
  // Matching calls that were failed so far.
  uint64_t Injected() const { return injected_.load(); }
  void ResetInjected() { injected_.store(0); }
  // True while a rule is waiting to fire (or is sticky).
  bool Armed() const {
    std::lock_guard<std::mutex> l(mu_);
    return armed_;
  }

  // Checks a call; IOError if a rule says it fails. Used by the file wrappers.
  Status Check(Op op, const std::string& fname);

  Status NewSequentialFile(const std::string& f, std::unique_ptr<SequentialFile>* r) override;
  Status NewRandomAccessFile(const std::string& f, std::unique_ptr<RandomAccessFile>* r) override;
  Status NewWritableFile(const std::string& f, std::unique_ptr<WritableFile>* r) override;
  Status RemoveFile(const std::string& f) override;
  Status RenameFile(const std::string& s, const std::string& t) override;

 private:
  mutable std::mutex mu_;
  bool armed_ = false;
  Op op_ = Op::kWrite;
  uint64_t remaining_ = 0;  // matching calls to let through before failing
  std::string name_part_;
  bool sticky_ = false;
  std::atomic<uint64_t> counts_[static_cast<int>(Op::kCount)] = {};
  std::atomic<uint64_t> injected_{0};
};

}  // namespace lode::test

#endif  // LODE_TESTS_UTIL_FAULT_INJECTION_ENV_H_
