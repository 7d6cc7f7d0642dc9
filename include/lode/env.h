// Env: every file operation lode performs goes through this interface.
//
// The default Env is POSIX. Tests wrap it (EnvWrapper) to inject I/O faults
// or simulate power loss, so no lode code touches the file system directly.
// An Env is shared by all threads of a DB and must be thread-safe; each file
// object is used by one thread at a time unless its comment says otherwise.
#ifndef LODE_INCLUDE_ENV_H_
#define LODE_INCLUDE_ENV_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lode/slice.h"
#include "lode/status.h"

namespace lode {

// A file read from start to end (WAL and manifest replay).
class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to n bytes into scratch; *result points at the bytes read (maybe
  // fewer than n at end of file, empty at end of file).
  virtual Status Read(size_t n, Slice* result, char* scratch) = 0;
  virtual Status Skip(uint64_t n) = 0;
};

// A file read at arbitrary offsets. Safe for concurrent use by many threads.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to n bytes at offset. *result may point into scratch or into
  // memory owned by the file; fewer than n bytes means end of file.
  virtual Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const = 0;
  // Hint that [offset, offset+n) will be read soon (readahead for scans).
  virtual void Prefetch(uint64_t /*offset*/, size_t /*n*/) const {}
};

// A file written by appending. Data reaches the disk durably only after Sync.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(const Slice& data) = 0;
  virtual Status Flush() = 0;  // hand buffered bytes to the OS
  virtual Status Sync() = 0;   // Flush, then fdatasync
  virtual Status Close() = 0;
  // A hint that a logical record (one blob record) ends here: a file that
  // encrypts in units may close its unit, so that a positioned read of one
  // record authenticates that record only. Default: nothing.
  virtual Status MarkRecordBoundary() { return Status::OK(); }
  // A hint for a file written in bulk by background work: start writing the
  // bytes appended so far to the device, without waiting for them, and
  // wait for what the call before this one started. The file then has at
  // most two calls' worth of data in flight, so its final Sync, and any
  // other file's Sync, does not queue behind hundreds of MB of it.
  // Durability still comes only from Sync. Default: nothing.
  virtual Status StartWriteback() { return Status::OK(); }
};

// A held lock on a DB directory (LOCK file).
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class Env {
 public:
  virtual ~Env() = default;

  // The process-wide POSIX Env. Never deleted.
  static Env* Default();

  virtual Status NewSequentialFile(const std::string& fname,
                                   std::unique_ptr<SequentialFile>* result) = 0;
  virtual Status NewRandomAccessFile(const std::string& fname,
                                     std::unique_ptr<RandomAccessFile>* result) = 0;
  // Creates or truncates fname.
  virtual Status NewWritableFile(const std::string& fname,
                                 std::unique_ptr<WritableFile>* result) = 0;

  virtual bool FileExists(const std::string& fname) = 0;
  // Names (not paths) of the entries of dir.
  virtual Status GetChildren(const std::string& dir, std::vector<std::string>* result) = 0;
  virtual Status RemoveFile(const std::string& fname) = 0;
  virtual Status CreateDir(const std::string& dirname) = 0;  // OK if it exists
  virtual Status RemoveDir(const std::string& dirname) = 0;
  virtual Status GetFileSize(const std::string& fname, uint64_t* size) = 0;
  virtual Status RenameFile(const std::string& src, const std::string& target) = 0;
  // Makes the directory's entries (creates, renames, deletes) durable.
  virtual Status SyncDir(const std::string& dirname) = 0;

  // Takes an exclusive lock on fname (created if missing). A second lock on the
  // same file, from this or another process, fails with Busy.
  virtual Status LockFile(const std::string& fname, std::unique_ptr<FileLock>* lock) = 0;

  virtual uint64_t NowMicros() = 0;
};

// Forwards every call to an owned WritableFile; subclass it to change a few
// calls (so a wrapper never drops a hint such as StartWriteback).
class WritableFileWrapper : public WritableFile {
 public:
  explicit WritableFileWrapper(std::unique_ptr<WritableFile> target) : target_(std::move(target)) {}
  WritableFile* target() const { return target_.get(); }

  Status Append(const Slice& data) override { return target_->Append(data); }
  Status Flush() override { return target_->Flush(); }
  Status Sync() override { return target_->Sync(); }
  Status Close() override { return target_->Close(); }
  Status MarkRecordBoundary() override { return target_->MarkRecordBoundary(); }
  Status StartWriteback() override { return target_->StartWriteback(); }

 private:
  std::unique_ptr<WritableFile> target_;
};

// Forwards every call to a target Env; subclass it to change a few calls.
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}
  Env* target() const { return target_; }

  Status NewSequentialFile(const std::string& f, std::unique_ptr<SequentialFile>* r) override {
    return target_->NewSequentialFile(f, r);
  }
  Status NewRandomAccessFile(const std::string& f, std::unique_ptr<RandomAccessFile>* r) override {
    return target_->NewRandomAccessFile(f, r);
  }
  Status NewWritableFile(const std::string& f, std::unique_ptr<WritableFile>* r) override {
    return target_->NewWritableFile(f, r);
  }
  bool FileExists(const std::string& f) override { return target_->FileExists(f); }
  Status GetChildren(const std::string& d, std::vector<std::string>* r) override {
    return target_->GetChildren(d, r);
  }
  Status RemoveFile(const std::string& f) override { return target_->RemoveFile(f); }
  Status CreateDir(const std::string& d) override { return target_->CreateDir(d); }
  Status RemoveDir(const std::string& d) override { return target_->RemoveDir(d); }
  Status GetFileSize(const std::string& f, uint64_t* s) override {
    return target_->GetFileSize(f, s);
  }
  Status RenameFile(const std::string& s, const std::string& t) override {
    return target_->RenameFile(s, t);
  }
  Status SyncDir(const std::string& d) override { return target_->SyncDir(d); }
  Status LockFile(const std::string& f, std::unique_ptr<FileLock>* l) override {
    return target_->LockFile(f, l);
  }
  uint64_t NowMicros() override { return target_->NowMicros(); }

 private:
  Env* target_;
};

// Helpers built on Env.
Status WriteStringToFile(Env* env, const Slice& data, const std::string& fname, bool sync);
Status ReadFileToString(Env* env, const std::string& fname, std::string* data);

}  // namespace lode

#endif  // LODE_INCLUDE_ENV_H_
