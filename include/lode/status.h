// Status: the result of every fallible lode call.
//
// No exception crosses the public API; a call returns a Status that is either
// OK or carries a code and a message naming what failed and where (file,
// offset, option). Status is a value type; distinct threads may use distinct
// Status objects freely.
#ifndef LODE_INCLUDE_STATUS_H_
#define LODE_INCLUDE_STATUS_H_

#include <memory>
#include <string>

#include "lode/slice.h"

namespace lode {

class Status {
 public:
  enum class Code : unsigned char {
    kOk = 0,
    kNotFound = 1,
    kCorruption = 2,
    kNotSupported = 3,
    kInvalidArgument = 4,
    kIOError = 5,
    kBusy = 6,
  };

  Status() noexcept = default;
  Status(const Status& s) : code_(s.code_), msg_(s.msg_) {}
  Status& operator=(const Status& s) = default;
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status NotFound(const Slice& msg, const Slice& msg2 = Slice()) {
    return Status(Code::kNotFound, msg, msg2);
  }
  static Status Corruption(const Slice& msg, const Slice& msg2 = Slice()) {
    return Status(Code::kCorruption, msg, msg2);
  }
  static Status NotSupported(const Slice& msg, const Slice& msg2 = Slice()) {
    return Status(Code::kNotSupported, msg, msg2);
  }
  static Status InvalidArgument(const Slice& msg, const Slice& msg2 = Slice()) {
    return Status(Code::kInvalidArgument, msg, msg2);
  }
  static Status IOError(const Slice& msg, const Slice& msg2 = Slice()) {
    return Status(Code::kIOError, msg, msg2);
  }
  static Status Busy(const Slice& msg, const Slice& msg2 = Slice()) {
    return Status(Code::kBusy, msg, msg2);
  }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  bool IsNotSupported() const { return code_ == Code::kNotSupported; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsBusy() const { return code_ == Code::kBusy; }
  Code code() const { return code_; }

  // The message without the code prefix ("" for OK).
  const std::string& message() const { return msg_; }

  // "OK", or e.g. "Corruption: 000012.sst: block checksum mismatch at 4096".
  std::string ToString() const;

 private:
  Status(Code code, const Slice& msg, const Slice& msg2);

  Code code_ = Code::kOk;
  std::string msg_;
};

}  // namespace lode

#endif  // LODE_INCLUDE_STATUS_H_
