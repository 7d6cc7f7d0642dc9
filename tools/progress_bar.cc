#include "tools/progress_bar.h"

#include <unistd.h>

#include <algorithm>

#include "tools/tool_common.h"

namespace lode::tool {

ProgressBar::ProgressBar(FILE* out, uint64_t total, bool enabled)
    : out_(out), total_(total), enabled_(enabled), start_(NowSeconds()) {}

ProgressBar::~ProgressBar() { Finish(); }

bool ProgressBar::IsTerminal(FILE* out) { return ::isatty(::fileno(out)) == 1; }

void ProgressBar::Update(uint64_t done, uint64_t bytes) {
  if (!enabled_) return;
  const double now = NowSeconds();
  if (drawn_ && now - last_draw_ < 0.1 && done < total_) return;
  last_draw_ = now;
  drawn_ = true;
  const std::string line =
      std::string("\r") + Render(done, total_, bytes, now - start_, 30) + "\x1b[K";
  std::fputs(line.c_str(), out_);
  std::fflush(out_);
}

void ProgressBar::Finish() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\x1b[K", out_);
  std::fflush(out_);
  drawn_ = false;
}

std::string ProgressBar::Render(uint64_t done, uint64_t total, uint64_t bytes,
                                double elapsed_seconds, int width) {
  const double fraction =
      total == 0 ? 1.0 : std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
  const int filled = static_cast<int>(fraction * width);
  std::string s =
      std::string("[") + std::string(filled, '#') + std::string(width - filled, '.') + "]";
  char buf[160];
  const double mbps = elapsed_seconds > 0 ? static_cast<double>(bytes) / 1e6 / elapsed_seconds : 0;
  std::snprintf(buf, sizeof(buf), " %3d%%  %llu/%llu  %.1f MB/s", static_cast<int>(fraction * 100),
                static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                mbps);
  s += buf;
  if (done > 0 && done < total && elapsed_seconds > 0) {
    const double eta =
        elapsed_seconds * static_cast<double>(total - done) / static_cast<double>(done);
    std::snprintf(buf, sizeof(buf), "  ETA %.0fs", eta);
    s += buf;
  }
  return s;
}

}  // namespace lode::tool
