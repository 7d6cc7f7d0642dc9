#include "tests/util/fault_injection_env.h"

namespace lode::test {
namespace {

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(FaultInjectionEnv* env, std::string fname, std::unique_ptr<WritableFile> f)
      : env_(env), fname_(std::move(fname)), file_(std::move(f)) {}
  Status Append(const Slice& data) override {
    Status s = env_->Check(FaultInjectionEnv::Op::kWrite, fname_);
    return s.ok() ? file_->Append(data) : s;
  }
  Status Flush() override { return file_->Flush(); }
  Status Sync() override {
    Status s = env_->Check(FaultInjectionEnv::Op::kSync, fname_);
    return s.ok() ? file_->Sync() : s;
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

Status FaultInjectionEnv::Check(Op op, const std::string& fname) {
  counts_[static_cast<int>(op)]++;
  std::lock_guard<std::mutex> l(mu_);
  if (!armed_ || op != op_ || fname.find(name_part_) == std::string::npos) return Status::OK();
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
  s = target()->NewWritableFile(f, &file);
  if (s.ok()) *r = std::make_unique<FaultWritableFile>(this, f, std::move(file));
  return s;
}

Status FaultInjectionEnv::RemoveFile(const std::string& f) {
  Status s = Check(Op::kDelete, f);
  return s.ok() ? target()->RemoveFile(f) : s;
}

Status FaultInjectionEnv::RenameFile(const std::string& src, const std::string& t) {
  Status s = Check(Op::kRename, src);
  return s.ok() ? target()->RenameFile(src, t) : s;
}

}  // namespace lode::test
