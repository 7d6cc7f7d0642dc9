// Human-readable numbers for reports and the lode tool ("12.3 MiB", "33.3%").
// Pure functions; any thread.
#ifndef LODE_LIB_UTIL_HUMAN_FORMAT_H_
#define LODE_LIB_UTIL_HUMAN_FORMAT_H_

#include <cstdint>
#include <string>

namespace lode {

// Binary units with three significant digits: "0 B", "999 B", "1.50 KiB",
// "12.3 MiB", "512 GiB".
std::string HumanBytes(uint64_t bytes);

// ratio (0.333) as a percentage with one decimal ("33.3%").
std::string HumanPercent(double ratio);

// A duration in seconds: "850 ms", "2.35 s", "3m 05s".
std::string HumanSeconds(double seconds);

}  // namespace lode

#endif  // LODE_LIB_UTIL_HUMAN_FORMAT_H_
