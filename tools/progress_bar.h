// ProgressBar: one self-redrawing status line for long `lode` commands.
//
// Draws on a terminal only: when disabled (output is not a TTY) every call
// does nothing, so scripts and pipes see clean output. Redraws at most every
// 100 ms. One thread.
#ifndef LODE_TOOLS_PROGRESS_BAR_H_
#define LODE_TOOLS_PROGRESS_BAR_H_

#include <cstdint>
#include <cstdio>
#include <string>

namespace lode::tool {

class ProgressBar {
 public:
  // total: the count that means 100%. out is not owned.
  ProgressBar(FILE* out, uint64_t total, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // done of total operations, bytes so far.
  void Update(uint64_t done, uint64_t bytes);
  // Erases the bar, leaving the line empty for the summary.
  void Finish();

  // True if fd-backed out is a terminal.
  static bool IsTerminal(FILE* out);

  // The bar as text, without the leading carriage return; width is the
  // number of cells between the brackets:
  //   [########............]  42%  4200/10000  12.3 MB/s  ETA 5s
  static std::string Render(uint64_t done, uint64_t total, uint64_t bytes, double elapsed_seconds,
                            int width);

 private:
  FILE* out_;
  uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  double start_;
  double last_draw_ = 0;
};

}  // namespace lode::tool

#endif  // LODE_TOOLS_PROGRESS_BAR_H_
