#include "lib/util/human_format.h"

#include <cmath>
#include <cstdio>

namespace lode {

std::string HumanBytes(uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes);
  int unit = 0;
  // Move up a unit while the value would print as 1000 or more.
  while (v >= 999.5 && unit < 6) {
    v /= 1024;
    unit++;
  }
  char buf[32];
  if (v < 9.995) {
    std::snprintf(buf, sizeof(buf), "%.2f %s", v, kUnits[unit]);
  } else if (v < 99.95) {
    std::snprintf(buf, sizeof(buf), "%.1f %s", v, kUnits[unit]);
  } else {
    std::snprintf(buf, sizeof(buf), "%.0f %s", v, kUnits[unit]);
  }
  return buf;
}

std::string HumanPercent(double ratio) {
  if (!std::isfinite(ratio)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f%%", ratio * 100);
  return buf;
}

std::string HumanSeconds(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "-";
  char buf[32];
  if (seconds < 1) {
    std::snprintf(buf, sizeof(buf), "%.0f ms", seconds * 1000);
  } else if (seconds < 60) {
    std::snprintf(buf, sizeof(buf), "%.2f s", seconds);
  } else {
    const auto total = static_cast<uint64_t>(seconds + 0.5);
    std::snprintf(buf, sizeof(buf), "%llum %02llus", static_cast<unsigned long long>(total / 60),
                  static_cast<unsigned long long>(total % 60));
  }
  return buf;
}

}  // namespace lode
