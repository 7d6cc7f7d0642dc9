// MemEnv: an Env that keeps every file in memory, for fuzzers and tests that
// open and reopen a DB many times a second. Paths are plain strings; a
// directory exists once created or once a file under it exists. Thread-safe.
// Sync and SyncDir do nothing (there is no disk to lose).
#ifndef LODE_TESTS_UTIL_MEM_ENV_H_
#define LODE_TESTS_UTIL_MEM_ENV_H_

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "lode/env.h"

namespace lode::test {

class MemEnv final : public Env {
 public:
  MemEnv() = default;

  // Bytes of one file, shared by the file objects that have it open.
  struct FileData {
    std::mutex mu;
    std::string bytes;
  };

  // Sets fname's contents (creates it).
  void SetFile(const std::string& fname, std::string contents);

  Status NewSequentialFile(const std::string& f, std::unique_ptr<SequentialFile>* r) override;
  Status NewRandomAccessFile(const std::string& f, std::unique_ptr<RandomAccessFile>* r) override;
  Status NewWritableFile(const std::string& f, std::unique_ptr<WritableFile>* r) override;
  bool FileExists(const std::string& f) override;
  Status GetChildren(const std::string& dir, std::vector<std::string>* result) override;
  Status RemoveFile(const std::string& f) override;
  Status CreateDir(const std::string& d) override;
  Status RemoveDir(const std::string& d) override;
  Status GetFileSize(const std::string& f, uint64_t* size) override;
  Status RenameFile(const std::string& src, const std::string& target) override;
  Status SyncDir(const std::string&) override { return Status::OK(); }
  Status LockFile(const std::string& f, std::unique_ptr<FileLock>* lock) override;
  uint64_t NowMicros() override { return Env::Default()->NowMicros(); }

  void Unlock(const std::string& f);

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<FileData>> files_;
  std::set<std::string> dirs_;
  std::set<std::string> locks_;
};

}  // namespace lode::test

#endif  // LODE_TESTS_UTIL_MEM_ENV_H_
