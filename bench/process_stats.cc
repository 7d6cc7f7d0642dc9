#include "bench/process_stats.h"

#include <sys/resource.h>

#include <cstdlib>
#include <vector>

namespace lode::bench {

namespace {

// Value of "name: 123" in the text of /proc/self/io; 0 if absent.
uint64_t Field(const std::string& text, const std::string& name) {
  const std::string prefix = name + ":";
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    if (text.compare(pos, prefix.size(), prefix) == 0) {
      return std::strtoull(text.c_str() + pos + prefix.size(), nullptr, 10);
    }
    pos = eol + 1;
  }
  return 0;
}

double Seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

}  // namespace

ProcessStats ProcessStats::Sample(Env* env) {
  ProcessStats p;
  std::string io;
  if (ReadFileToString(env, "/proc/self/io", &io).ok() && !io.empty()) {
    p.has_io = true;
    p.write_bytes = Field(io, "write_bytes");
    p.cancelled_write_bytes = Field(io, "cancelled_write_bytes");
    p.read_bytes = Field(io, "read_bytes");
    p.wchar = Field(io, "wchar");
  }
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    p.cpu_user_seconds = Seconds(usage.ru_utime);
    p.cpu_system_seconds = Seconds(usage.ru_stime);
  }
  return p;
}

Status DirBytes(Env* env, const std::string& dir, uint64_t* bytes) {
  *bytes = 0;
  std::vector<std::string> children;
  Status s = env->GetChildren(dir, &children);
  if (!s.ok()) return s;
  for (const std::string& name : children) {
    if (name == "." || name == "..") continue;
    uint64_t size = 0;
    if (env->GetFileSize(dir + "/" + name, &size).ok()) *bytes += size;
  }
  return Status::OK();
}

}  // namespace lode::bench
