// The POSIX Env: pread for random access, write(2) with a user-space buffer
// for appends, fdatasync for Sync, fcntl locks plus an in-process table so a
// second open of the same DB in the same process is refused too.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <set>

#include "lode/env.h"

namespace lode {
namespace {

Status PosixError(const std::string& context, int err) {
  std::string msg = context + ": " + strerror(err);
  if (err == ENOENT) return Status::NotFound(msg);
  return Status::IOError(msg);
}

class PosixSequentialFile final : public SequentialFile {
 public:
  PosixSequentialFile(std::string fname, int fd) : fname_(std::move(fname)), fd_(fd) {}
  ~PosixSequentialFile() override { close(fd_); }

  Status Read(size_t n, Slice* result, char* scratch) override {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::read(fd_, scratch + got, n - got);
      if (r < 0) {
        if (errno == EINTR) continue;
        return PosixError(fname_, errno);
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    *result = Slice(scratch, got);
    return Status::OK();
  }

  Status Skip(uint64_t n) override {
    if (lseek(fd_, static_cast<off_t>(n), SEEK_CUR) == static_cast<off_t>(-1)) {
      return PosixError(fname_, errno);
    }
    return Status::OK();
  }

 private:
  const std::string fname_;
  const int fd_;
};

class PosixRandomAccessFile final : public RandomAccessFile {
 public:
  PosixRandomAccessFile(std::string fname, int fd) : fname_(std::move(fname)), fd_(fd) {}
  ~PosixRandomAccessFile() override { close(fd_); }

  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(fd_, scratch + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0) {
        if (errno == EINTR) continue;
        *result = Slice(scratch, 0);
        return PosixError(fname_ + " at offset " + std::to_string(offset), errno);
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    *result = Slice(scratch, got);
    return Status::OK();
  }

  void Prefetch(uint64_t offset, size_t n) const override {
    (void)posix_fadvise(fd_, static_cast<off_t>(offset), static_cast<off_t>(n),
                        POSIX_FADV_WILLNEED);
  }

 private:
  const std::string fname_;
  const int fd_;
};

class PosixWritableFile final : public WritableFile {
 public:
  static constexpr size_t kBufferSize = 64 << 10;

  PosixWritableFile(std::string fname, int fd) : fname_(std::move(fname)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) (void)Close();
  }

  Status Append(const Slice& data) override {
    if (fd_ < 0) return Status::IOError(fname_, "append to a closed file");
    if (buf_.size() + data.size() <= kBufferSize) {
      buf_.append(data.data(), data.size());
      return Status::OK();
    }
    Status s = FlushBuffer();
    if (!s.ok()) return s;
    if (data.size() <= kBufferSize) {
      buf_.append(data.data(), data.size());
      return Status::OK();
    }
    return WriteRaw(data.data(), data.size());
  }

  Status Flush() override { return FlushBuffer(); }

  Status Sync() override {
    Status s = FlushBuffer();
    if (!s.ok()) return s;
    if (fdatasync(fd_) != 0) return PosixError(fname_ + ": fdatasync", errno);
    return Status::OK();
  }

  Status StartWriteback() override {
    if (fd_ < 0) return Status::IOError(fname_, "writeback of a closed file");
    Status s = FlushBuffer();
    if (!s.ok()) return s;
#ifdef __linux__
    // Wait for the range the last call started, then start the rest.
    if (writeback_started_ > writeback_done_ &&
        sync_file_range(fd_, static_cast<off_t>(writeback_done_),
                        static_cast<off_t>(writeback_started_ - writeback_done_),
                        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                            SYNC_FILE_RANGE_WAIT_AFTER) != 0) {
      return WritebackError();
    }
    writeback_done_ = writeback_started_;
    if (size_ > writeback_started_ &&
        sync_file_range(fd_, static_cast<off_t>(writeback_started_),
                        static_cast<off_t>(size_ - writeback_started_),
                        SYNC_FILE_RANGE_WRITE) != 0) {
      return WritebackError();
    }
    writeback_started_ = size_;
#endif
    return Status::OK();
  }

  Status Close() override {
    if (fd_ < 0) return Status::OK();
    Status s = FlushBuffer();
    if (::close(fd_) != 0 && s.ok()) s = PosixError(fname_ + ": close", errno);
    fd_ = -1;
    return s;
  }

 private:
  Status FlushBuffer() {
    Status s = WriteRaw(buf_.data(), buf_.size());
    buf_.clear();
    return s;
  }

  Status WriteRaw(const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return PosixError(fname_ + ": write", errno);
      }
      p += w;
      n -= static_cast<size_t>(w);
      size_ += static_cast<uint64_t>(w);
    }
    return Status::OK();
  }

  // A file system without sync_file_range only loses the hint; an I/O
  // error is the file's, and reported.
  Status WritebackError() {
    if (errno == EINVAL || errno == ENOSYS || errno == ESPIPE || errno == EOPNOTSUPP) {
      return Status::OK();
    }
    return PosixError(fname_ + ": sync_file_range", errno);
  }

  const std::string fname_;
  int fd_;
  std::string buf_;
  uint64_t size_ = 0;               // bytes handed to the OS
  uint64_t writeback_started_ = 0;  // StartWriteback started [0, this)
  uint64_t writeback_done_ = 0;     // and waited for [0, this)
};

class PosixFileLock final : public FileLock {
 public:
  PosixFileLock(std::string fname, int fd, std::mutex* mu, std::set<std::string>* locked)
      : fname_(std::move(fname)), fd_(fd), mu_(mu), locked_(locked) {}
  ~PosixFileLock() override {
    struct flock f = {};
    f.l_type = F_UNLCK;
    f.l_whence = SEEK_SET;
    (void)fcntl(fd_, F_SETLK, &f);
    close(fd_);
    std::lock_guard<std::mutex> l(*mu_);
    locked_->erase(fname_);
  }

 private:
  const std::string fname_;
  const int fd_;
  std::mutex* const mu_;
  std::set<std::string>* const locked_;
};

class PosixEnv final : public Env {
 public:
  Status NewSequentialFile(const std::string& fname,
                           std::unique_ptr<SequentialFile>* result) override {
    int fd = ::open(fname.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PosixError(fname, errno);
    *result = std::make_unique<PosixSequentialFile>(fname, fd);
    return Status::OK();
  }

  Status NewRandomAccessFile(const std::string& fname,
                             std::unique_ptr<RandomAccessFile>* result) override {
    int fd = ::open(fname.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PosixError(fname, errno);
    *result = std::make_unique<PosixRandomAccessFile>(fname, fd);
    return Status::OK();
  }

  Status NewWritableFile(const std::string& fname, std::unique_ptr<WritableFile>* result) override {
    int fd = ::open(fname.c_str(), O_TRUNC | O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return PosixError(fname, errno);
    *result = std::make_unique<PosixWritableFile>(fname, fd);
    return Status::OK();
  }

  bool FileExists(const std::string& fname) override { return ::access(fname.c_str(), F_OK) == 0; }

  Status GetChildren(const std::string& dir, std::vector<std::string>* result) override {
    result->clear();
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return PosixError(dir, errno);
    while (struct dirent* e = ::readdir(d)) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      result->emplace_back(e->d_name);
    }
    ::closedir(d);
    return Status::OK();
  }

  Status RemoveFile(const std::string& fname) override {
    if (::unlink(fname.c_str()) != 0) return PosixError(fname, errno);
    return Status::OK();
  }

  Status CreateDir(const std::string& dirname) override {
    if (::mkdir(dirname.c_str(), 0755) != 0 && errno != EEXIST) {
      return PosixError(dirname, errno);
    }
    return Status::OK();
  }

  Status RemoveDir(const std::string& dirname) override {
    if (::rmdir(dirname.c_str()) != 0) return PosixError(dirname, errno);
    return Status::OK();
  }

  Status GetFileSize(const std::string& fname, uint64_t* size) override {
    struct stat st;
    if (::stat(fname.c_str(), &st) != 0) {
      *size = 0;
      return PosixError(fname, errno);
    }
    *size = static_cast<uint64_t>(st.st_size);
    return Status::OK();
  }

  Status RenameFile(const std::string& src, const std::string& target) override {
    if (::rename(src.c_str(), target.c_str()) != 0) {
      return PosixError(src + " -> " + target, errno);
    }
    return Status::OK();
  }

  Status SyncDir(const std::string& dirname) override {
    int fd = ::open(dirname.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return PosixError(dirname, errno);
    Status s;
    if (::fsync(fd) != 0) s = PosixError(dirname + ": fsync", errno);
    ::close(fd);
    return s;
  }

  Status LockFile(const std::string& fname, std::unique_ptr<FileLock>* lock) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (!locked_.insert(fname).second) {
        return Status::Busy(fname, "already locked by this process (is the DB open?)");
      }
    }
    int fd = ::open(fname.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      std::lock_guard<std::mutex> l(mu_);
      locked_.erase(fname);
      return PosixError(fname, errno);
    }
    struct flock f = {};
    f.l_type = F_WRLCK;
    f.l_whence = SEEK_SET;
    if (fcntl(fd, F_SETLK, &f) != 0) {
      int err = errno;
      ::close(fd);
      std::lock_guard<std::mutex> l(mu_);
      locked_.erase(fname);
      if (err == EACCES || err == EAGAIN) {
        return Status::Busy(fname, "locked by another process (is the DB open?)");
      }
      return PosixError(fname + ": lock", err);
    }
    *lock = std::make_unique<PosixFileLock>(fname, fd, &mu_, &locked_);
    return Status::OK();
  }

  uint64_t NowMicros() override {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count());
  }

 private:
  std::mutex mu_;
  std::set<std::string> locked_;
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv();  // never deleted: outlives every DB
  return env;
}

Status WriteStringToFile(Env* env, const Slice& data, const std::string& fname, bool sync) {
  std::unique_ptr<WritableFile> file;
  Status s = env->NewWritableFile(fname, &file);
  if (!s.ok()) return s;
  s = file->Append(data);
  if (s.ok() && sync) s = file->Sync();
  if (s.ok()) s = file->Close();
  if (!s.ok()) env->RemoveFile(fname);
  return s;
}

Status ReadFileToString(Env* env, const std::string& fname, std::string* data) {
  data->clear();
  std::unique_ptr<SequentialFile> file;
  Status s = env->NewSequentialFile(fname, &file);
  if (!s.ok()) return s;
  static constexpr size_t kChunk = 64 << 10;
  std::string scratch(kChunk, '\0');
  while (true) {
    Slice fragment;
    s = file->Read(kChunk, &fragment, scratch.data());
    if (!s.ok() || fragment.empty()) break;
    data->append(fragment.data(), fragment.size());
  }
  return s;
}

}  // namespace lode
