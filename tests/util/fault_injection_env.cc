#include "tests/util/fault_injection_env.h"

namespace lode::test {
namespace {

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(FaultInjectionEnv* env, std::string fname, std::unique_ptr<WritableFile> f)
      : env_(env), fname_(std::move(fname)), file_(std::move(f)) {}
  Status Append(const Slice& data) override {
    Status s = env_->Check(FaultInjectionEnv::Op::kWrite, fname_);
    if (s.ok()) s = file_->Append(data);
    if (s.ok()) env_->OnAppend(fname_, data.size());
    return s;
  }
  Status Flush() override { return file_->Flush(); }
  Status Sync() override {
    Status s = env_->Check(FaultInjectionEnv::Op::kSync, fname_);
    if (s.ok()) s = env_->SkipRealSync() ? file_->Flush() : file_->Sync();
    if (s.ok()) env_->OnSync(fname_);
    return s;
  }
  Status Close() override { return file_->Close(); }

 private:
  FaultInjectionEnv* const env_;
  const std::string fname_;
  std::unique_ptr<WritableFile> file_;
};

class FaultRandomAccessFile final : public RandomAccessFile {
 public:
  FaultRandomAccessFile(FaultInjectionEnv* env, std::string fname,
                        std::unique_ptr<RandomAccessFile> f)
      : env_(env), fname_(std::move(fname)), file_(std::move(f)) {}
  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    Status s = env_->Check(FaultInjectionEnv::Op::kRead, fname_);
    if (!s.ok()) {
      *result = Slice();
      return s;
    }
    return file_->Read(offset, n, result, scratch);
  }
  void Prefetch(uint64_t offset, size_t n) const override { file_->Prefetch(offset, n); }

 private:
  FaultInjectionEnv* const env_;
  const std::string fname_;
  std::unique_ptr<RandomAccessFile> file_;
};

class FaultSequentialFile final : public SequentialFile {
 public:
  FaultSequentialFile(FaultInjectionEnv* env, std::string fname, std::unique_ptr<SequentialFile> f)
      : env_(env), fname_(std::move(fname)), file_(std::move(f)) {}
  Status Read(size_t n, Slice* result, char* scratch) override {
    Status s = env_->Check(FaultInjectionEnv::Op::kRead, fname_);
    if (!s.ok()) {
      *result = Slice();
      return s;
    }
    return file_->Read(n, result, scratch);
  }
  Status Skip(uint64_t n) override { return file_->Skip(n); }

 private:
  FaultInjectionEnv* const env_;
  const std::string fname_;
  std::unique_ptr<SequentialFile> file_;
};

}  // namespace

bool FaultInjectionEnv::RuleMatches(Op rule_op, const std::string& name_part, Op op,
                                    const std::string& fname) {
  return (rule_op == Op::kAny || op == rule_op) && fname.find(name_part) != std::string::npos;
}

void FaultInjectionEnv::FailNth(Op op, uint64_t n, const std::string& name_part, bool sticky) {
  std::lock_guard<std::mutex> l(mu_);
  armed_ = true;
  op_ = op;
  remaining_ = n;
  name_part_ = name_part;
  sticky_ = sticky;
}

void FaultInjectionEnv::ClearFaults() {
  std::lock_guard<std::mutex> l(mu_);
  armed_ = false;
}

void FaultInjectionEnv::ResetCounts() {
  for (auto& c : counts_) c.store(0);
}

uint64_t FaultInjectionEnv::TotalCount(bool reads) const {
  uint64_t n = 0;
  for (int i = 0; i < static_cast<int>(Op::kCount); i++) {
    if (reads || i != static_cast<int>(Op::kRead)) n += counts_[i].load();
  }
  return n;
}

void FaultInjectionEnv::HoldNext(Op op, const std::string& name_part) {
  std::lock_guard<std::mutex> l(hold_mu_);
  hold_armed_ = true;
  holding_ = false;
  hold_op_ = op;
  hold_name_part_ = name_part;
}

void FaultInjectionEnv::WaitUntilHeld() {
  std::unique_lock<std::mutex> l(hold_mu_);
  hold_cv_.wait(l, [this] { return holding_; });
}

void FaultInjectionEnv::Release() {
  std::lock_guard<std::mutex> l(hold_mu_);
  hold_armed_ = false;
  holding_ = false;
  hold_cv_.notify_all();
}

void FaultInjectionEnv::MaybeHold(Op op, const std::string& fname) {
  std::unique_lock<std::mutex> l(hold_mu_);
  if (!hold_armed_ || holding_ || !RuleMatches(hold_op_, hold_name_part_, op, fname)) return;
  holding_ = true;
  hold_cv_.notify_all();
  hold_cv_.wait(l, [this] { return !hold_armed_; });
}

Status FaultInjectionEnv::Check(Op op, const std::string& fname) {
  MaybeHold(op, fname);
  counts_[static_cast<int>(op)]++;
  std::lock_guard<std::mutex> l(mu_);
  if (!active_ && op != Op::kRead) return Status::IOError(fname, "filesystem inactive (power off)");
  if (!armed_ || !RuleMatches(op_, name_part_, op, fname)) return Status::OK();
  if (remaining_ > 0) {
    remaining_--;
    return Status::OK();
  }
  if (!sticky_) armed_ = false;
  injected_++;
  return Status::IOError(fname, "injected fault");
}

Status FaultInjectionEnv::NewSequentialFile(const std::string& f,
                                            std::unique_ptr<SequentialFile>* r) {
  std::unique_ptr<SequentialFile> file;
  Status s = target()->NewSequentialFile(f, &file);
  if (s.ok()) *r = std::make_unique<FaultSequentialFile>(this, f, std::move(file));
  return s;
}

Status FaultInjectionEnv::NewRandomAccessFile(const std::string& f,
                                              std::unique_ptr<RandomAccessFile>* r) {
  std::unique_ptr<RandomAccessFile> file;
  Status s = target()->NewRandomAccessFile(f, &file);
  if (s.ok()) *r = std::make_unique<FaultRandomAccessFile>(this, f, std::move(file));
  return s;
}

Status FaultInjectionEnv::NewWritableFile(const std::string& f, std::unique_ptr<WritableFile>* r) {
  Status s = Check(Op::kCreate, f);
  if (!s.ok()) return s;
  std::unique_ptr<WritableFile> file;
  const bool existed = target()->FileExists(f);
  s = target()->NewWritableFile(f, &file);
  if (!s.ok()) return s;
  *r = std::make_unique<FaultWritableFile>(this, f, std::move(file));
  std::lock_guard<std::mutex> l(mu_);
  FileState& st = files_[f];
  // Truncating an existing file keeps its entry; a new name needs a SyncDir.
  const bool entry_synced = existed && (st.entry_synced || st.pos == 0);
  st = FileState();
  st.entry_synced = entry_synced;
  return s;
}

Status FaultInjectionEnv::RemoveFile(const std::string& f) {
  Status s = Check(Op::kDelete, f);
  if (s.ok()) s = target()->RemoveFile(f);
  if (s.ok()) {
    std::lock_guard<std::mutex> l(mu_);
    files_.erase(f);
  }
  return s;
}

Status FaultInjectionEnv::RenameFile(const std::string& src, const std::string& t) {
  Status s = Check(Op::kRename, src);
  if (!s.ok()) return s;
  // A rename over a durable file: until the directory is synced, a power
  // loss may bring the old contents back.
  std::string old;
  bool had_old = false;
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = files_.find(t);
    if (it == files_.end() || it->second.entry_synced) {
      had_old = target()->FileExists(t) && ReadFileToString(target(), t, &old).ok();
    } else if (it->second.had_old) {
      had_old = true;
      old = it->second.old_contents;
    }
  }
  s = target()->RenameFile(src, t);
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> l(mu_);
  FileState st;
  auto it = files_.find(src);
  if (it != files_.end()) {
    st = it->second;
    files_.erase(it);
  } else {
    uint64_t size = 0;
    (void)target()->GetFileSize(t, &size);
    st.pos = st.synced = size;
  }
  st.entry_synced = false;
  st.had_old = had_old;
  st.old_contents = std::move(old);
  files_[t] = std::move(st);
  return s;
}

Status FaultInjectionEnv::SyncDir(const std::string& d) {
  Status s = Check(Op::kSyncDir, d);
  if (s.ok() && !SkipRealSync()) s = target()->SyncDir(d);
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> l(mu_);
  const std::string prefix = d + "/";
  for (auto& [name, st] : files_) {
    if (name.compare(0, prefix.size(), prefix) == 0 &&
        name.find('/', prefix.size()) == std::string::npos) {
      st.entry_synced = true;
      st.had_old = false;
      st.old_contents.clear();
    }
  }
  return s;
}

void FaultInjectionEnv::OnAppend(const std::string& fname, size_t n) {
  std::lock_guard<std::mutex> l(mu_);
  files_[fname].pos += n;
}

void FaultInjectionEnv::OnSync(const std::string& fname) {
  std::lock_guard<std::mutex> l(mu_);
  FileState& st = files_[fname];
  st.synced = st.pos;
}

void FaultInjectionEnv::SetFilesystemActive(bool active) {
  std::lock_guard<std::mutex> l(mu_);
  active_ = active;
}

bool FaultInjectionEnv::FilesystemActive() const {
  std::lock_guard<std::mutex> l(mu_);
  return active_;
}

void FaultInjectionEnv::ForgetUnsynced() {
  std::lock_guard<std::mutex> l(mu_);
  files_.clear();
}

size_t FaultInjectionEnv::UnsyncedFiles() const {
  std::lock_guard<std::mutex> l(mu_);
  size_t n = 0;
  for (const auto& [name, st] : files_) n += (!st.entry_synced || st.synced < st.pos) ? 1 : 0;
  return n;
}

Status FaultInjectionEnv::PowerLoss(Random* rnd) {
  std::lock_guard<std::mutex> l(mu_);
  Status result;
  for (const auto& [name, st] : files_) {
    Env* env = target();
    if (!env->FileExists(name)) continue;
    if (!st.entry_synced && (rnd == nullptr || rnd->OneIn(2))) {
      // The entry never reached the disk: the name is gone, or names the
      // file it replaced.
      Status s =
          st.had_old ? WriteStringToFile(env, st.old_contents, name, true) : env->RemoveFile(name);
      if (result.ok()) result = s;
      continue;
    }
    uint64_t size = 0;
    Status s = env->GetFileSize(name, &size);
    if (s.ok() && size > st.synced) {
      uint64_t keep = st.synced;
      if (rnd != nullptr) keep += rnd->Uniform(size - st.synced + 1);
      std::string data;
      s = ReadFileToString(env, name, &data);
      if (s.ok() && keep < data.size()) {
        data.resize(keep);
        s = WriteStringToFile(env, data, name, true);
      }
    }
    if (result.ok()) result = s;
  }
  files_.clear();
  return result;
}

}  // namespace lode::test
