#include "lode/status.h"

namespace lode {

Status::Status(Code code, const Slice& msg, const Slice& msg2) : code_(code) {
  msg_ = msg.ToString();
  if (!msg2.empty()) {
    msg_.append(": ");
    msg_.append(msg2.data(), msg2.size());
  }
}

std::string Status::ToString() const {
  const char* type = "OK";
  switch (code_) {
    case Code::kOk:
      return "OK";
    case Code::kNotFound:
      type = "NotFound: ";
      break;
    case Code::kCorruption:
      type = "Corruption: ";
      break;
    case Code::kNotSupported:
      type = "Not implemented: ";
      break;
    case Code::kInvalidArgument:
      type = "Invalid argument: ";
      break;
    case Code::kIOError:
      type = "IO error: ";
      break;
    case Code::kBusy:
      type = "Busy: ";
      break;
  }
  return std::string(type) + msg_;
}

}  // namespace lode
