#include "tests/util/mem_env.h"

#include <algorithm>
#include <cstring>

namespace lode::test {
namespace {

using FileData = MemEnv::FileData;

class MemSequentialFile final : public SequentialFile {
 public:
  explicit MemSequentialFile(std::shared_ptr<FileData> d) : d_(std::move(d)) {}
  Status Read(size_t n, Slice* result, char* scratch) override {
    std::lock_guard<std::mutex> l(d_->mu);
    const size_t avail = pos_ < d_->bytes.size() ? d_->bytes.size() - pos_ : 0;
    n = std::min(n, avail);
    if (n > 0) std::memcpy(scratch, d_->bytes.data() + pos_, n);
    pos_ += n;
    *result = Slice(scratch, n);
    return Status::OK();
  }
  Status Skip(uint64_t n) override {
    pos_ += n;
    return Status::OK();
  }

 private:
  std::shared_ptr<FileData> d_;
  size_t pos_ = 0;
};

class MemRandomAccessFile final : public RandomAccessFile {
 public:
  explicit MemRandomAccessFile(std::shared_ptr<FileData> d) : d_(std::move(d)) {}
  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    std::lock_guard<std::mutex> l(d_->mu);
    const size_t size = d_->bytes.size();
    const size_t avail = offset < size ? size - static_cast<size_t>(offset) : 0;
    n = std::min(n, avail);
    if (n > 0) std::memcpy(scratch, d_->bytes.data() + offset, n);
    *result = Slice(scratch, n);
    return Status::OK();
  }

 private:
  std::shared_ptr<FileData> d_;
};

class MemWritableFile final : public WritableFile {
 public:
  explicit MemWritableFile(std::shared_ptr<FileData> d) : d_(std::move(d)) {}
  Status Append(const Slice& data) override {
    std::lock_guard<std::mutex> l(d_->mu);
    d_->bytes.append(data.data(), data.size());
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }
  Status Sync() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }

 private:
  std::shared_ptr<FileData> d_;
};

class MemFileLock final : public FileLock {
 public:
  MemFileLock(MemEnv* env, std::string name) : env_(env), name_(std::move(name)) {}
  ~MemFileLock() override { env_->Unlock(name_); }

 private:
  MemEnv* env_;
  std::string name_;
};

std::string Parent(const std::string& f) {
  const size_t slash = f.rfind('/');
  return slash == std::string::npos ? std::string() : f.substr(0, slash);
}

}  // namespace

void MemEnv::SetFile(const std::string& fname, std::string contents) {
  auto d = std::make_shared<FileData>();
  d->bytes = std::move(contents);
  std::lock_guard<std::mutex> l(mu_);
  files_[fname] = std::move(d);
}

Status MemEnv::NewSequentialFile(const std::string& f, std::unique_ptr<SequentialFile>* r) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(f);
  if (it == files_.end()) return Status::IOError(f, "no such file");
  *r = std::make_unique<MemSequentialFile>(it->second);
  return Status::OK();
}

Status MemEnv::NewRandomAccessFile(const std::string& f, std::unique_ptr<RandomAccessFile>* r) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(f);
  if (it == files_.end()) return Status::IOError(f, "no such file");
  *r = std::make_unique<MemRandomAccessFile>(it->second);
  return Status::OK();
}

Status MemEnv::NewWritableFile(const std::string& f, std::unique_ptr<WritableFile>* r) {
  auto d = std::make_shared<FileData>();
  std::lock_guard<std::mutex> l(mu_);
  files_[f] = d;
  *r = std::make_unique<MemWritableFile>(d);
  return Status::OK();
}

bool MemEnv::FileExists(const std::string& f) {
  std::lock_guard<std::mutex> l(mu_);
  return files_.count(f) > 0 || dirs_.count(f) > 0;
}

Status MemEnv::GetChildren(const std::string& dir, std::vector<std::string>* result) {
  result->clear();
  std::lock_guard<std::mutex> l(mu_);
  const std::string prefix = dir + "/";
  for (const auto& [name, d] : files_) {
    if (name.compare(0, prefix.size(), prefix) == 0 &&
        name.find('/', prefix.size()) == std::string::npos) {
      result->push_back(name.substr(prefix.size()));
    }
  }
  if (result->empty() && dirs_.count(dir) == 0) return Status::IOError(dir, "no such directory");
  return Status::OK();
}

Status MemEnv::RemoveFile(const std::string& f) {
  std::lock_guard<std::mutex> l(mu_);
  if (files_.erase(f) == 0) return Status::IOError(f, "no such file");
  return Status::OK();
}

Status MemEnv::CreateDir(const std::string& d) {
  std::lock_guard<std::mutex> l(mu_);
  dirs_.insert(d);
  return Status::OK();
}

Status MemEnv::RemoveDir(const std::string& d) {
  std::lock_guard<std::mutex> l(mu_);
  dirs_.erase(d);
  return Status::OK();
}

Status MemEnv::GetFileSize(const std::string& f, uint64_t* size) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(f);
  if (it == files_.end()) return Status::IOError(f, "no such file");
  std::lock_guard<std::mutex> fl(it->second->mu);
  *size = it->second->bytes.size();
  return Status::OK();
}

Status MemEnv::RenameFile(const std::string& src, const std::string& target) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(src);
  if (it == files_.end()) return Status::IOError(src, "no such file");
  auto d = it->second;
  files_.erase(it);
  files_[target] = std::move(d);
  return Status::OK();
}

Status MemEnv::LockFile(const std::string& f, std::unique_ptr<FileLock>* lock) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!locks_.insert(f).second) return Status::Busy(f, "already locked");
    if (files_.count(f) == 0) files_[f] = std::make_shared<FileData>();
    dirs_.insert(Parent(f));
  }
  *lock = std::make_unique<MemFileLock>(this, f);
  return Status::OK();
}

void MemEnv::Unlock(const std::string& f) {
  std::lock_guard<std::mutex> l(mu_);
  locks_.erase(f);
}

}  // namespace lode::test
