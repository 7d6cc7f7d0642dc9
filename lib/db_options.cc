#include "lib/db_options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <map>

#include "lib/util/compression.h"

namespace lode {
namespace {

constexpr uint64_t kMaxBufferSize = uint64_t{1} << 40;  // 1 TiB: beyond is a typo

Status Bad(const std::string& name, const std::string& why) {
  return Status::InvalidArgument("option " + name, why);
}

bool ParseU64(const std::string& s, uint64_t* v) {
  if (s.empty() || s[0] == '-' || s[0] == '+') return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long x = strtoull(s.c_str(), &end, 10);
  if (errno != 0 || end == s.c_str()) return false;
  uint64_t mult = 1;
  std::string suffix(end);
  if (suffix == "k" || suffix == "K" || suffix == "KiB")
    mult = 1ull << 10;
  else if (suffix == "m" || suffix == "M" || suffix == "MiB")
    mult = 1ull << 20;
  else if (suffix == "g" || suffix == "G" || suffix == "GiB")
    mult = 1ull << 30;
  else if (!suffix.empty())
    return false;
  if (x > UINT64_MAX / mult) return false;
  *v = x * mult;
  return true;
}

bool ParseDouble(const std::string& s, double* v) {
  if (s.empty()) return false;
  errno = 0;
  char* end = nullptr;
  double x = strtod(s.c_str(), &end);
  if (errno != 0 || end == s.c_str() || *end != '\0' || !std::isfinite(x)) return false;
  *v = x;
  return true;
}

bool ParseBool(const std::string& s, bool* v) {
  if (s == "true" || s == "1" || s == "on" || s == "yes") {
    *v = true;
  } else if (s == "false" || s == "0" || s == "off" || s == "no") {
    *v = false;
  } else {
    return false;
  }
  return true;
}

// One settable option: how to parse a string into the field of an Options.
using Setter = std::function<bool(const std::string& value, Options* o)>;

template <typename T>
Setter UintField(T Options::*field) {
  return [field](const std::string& s, Options* o) {
    uint64_t v;
    if (!ParseU64(s, &v) || v > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
      return false;
    }
    o->*field = static_cast<T>(v);
    return true;
  };
}

Setter DoubleField(double Options::*field) {
  return [field](const std::string& s, Options* o) { return ParseDouble(s, &(o->*field)); };
}

Setter BoolField(bool Options::*field) {
  return [field](const std::string& s, Options* o) { return ParseBool(s, &(o->*field)); };
}

Setter CompressionField(Compression Options::*field) {
  return [field](const std::string& s, Options* o) { return ParseCompression(s, &(o->*field)); };
}

// The tunables a live DB accepts.
const std::map<std::string, Setter>& MutableOptions() {
  static const auto* m = new std::map<std::string, Setter>{
      {"write_buffer_size", UintField(&Options::write_buffer_size)},
      {"level0_compaction_trigger", UintField(&Options::level0_compaction_trigger)},
      {"level0_slowdown_writes_trigger", UintField(&Options::level0_slowdown_writes_trigger)},
      {"level0_stop_writes_trigger", UintField(&Options::level0_stop_writes_trigger)},
      {"target_file_size", UintField(&Options::target_file_size)},
      {"max_bytes_for_level_base", UintField(&Options::max_bytes_for_level_base)},
      {"max_bytes_for_level_multiplier", DoubleField(&Options::max_bytes_for_level_multiplier)},
      {"compression", CompressionField(&Options::compression)},
      {"enable_blob_files", BoolField(&Options::enable_blob_files)},
      {"min_blob_size", UintField(&Options::min_blob_size)},
      {"blob_file_size", UintField(&Options::blob_file_size)},
      {"blob_compression", CompressionField(&Options::blob_compression)},
      {"enable_blob_gc", BoolField(&Options::enable_blob_gc)},
      {"blob_gc_age_cutoff", DoubleField(&Options::blob_gc_age_cutoff)},
      {"blob_gc_garbage_threshold", DoubleField(&Options::blob_gc_garbage_threshold)},
      {"blob_gc_force_threshold", DoubleField(&Options::blob_gc_force_threshold)},
      {"max_space_amplification", DoubleField(&Options::max_space_amplification)},
      {"blob_gc_idle_seconds", UintField(&Options::blob_gc_idle_seconds)},
      {"blob_gc_idle_space_amplification", DoubleField(&Options::blob_gc_idle_space_amplification)},
      {"blob_gc_rate_limit", UintField(&Options::blob_gc_rate_limit)},
      {"blob_gc_slowdown_writes", BoolField(&Options::blob_gc_slowdown_writes)},
  };
  return *m;
}

Status CheckFraction(const std::string& name, double v) {
  if (!(v >= 0.0 && v <= 1.0)) return Bad(name, "must be in [0, 1], got " + std::to_string(v));
  return Status::OK();
}

}  // namespace

Status ValidateOptions(const Options& o) {
  if (o.write_buffer_size < (64 << 10) || o.write_buffer_size > kMaxBufferSize) {
    return Bad("write_buffer_size",
               "must be in [64 KiB, 1 TiB], got " + std::to_string(o.write_buffer_size));
  }
  if (o.block_size < 256 || o.block_size > (256u << 20)) {
    return Bad("block_size", "must be in [256 B, 256 MiB], got " + std::to_string(o.block_size));
  }
  if (o.bloom_bits_per_key < 0 || o.bloom_bits_per_key > 64) {
    return Bad("bloom_bits_per_key", "must be in [0, 64]");
  }
  if (o.num_levels < 2 || o.num_levels > 12) return Bad("num_levels", "must be in [2, 12]");
  if (o.level0_compaction_trigger < 1) return Bad("level0_compaction_trigger", "must be >= 1");
  if (o.level0_slowdown_writes_trigger < o.level0_compaction_trigger) {
    return Bad("level0_slowdown_writes_trigger", "must be >= level0_compaction_trigger");
  }
  if (o.level0_stop_writes_trigger < o.level0_slowdown_writes_trigger) {
    return Bad("level0_stop_writes_trigger", "must be >= level0_slowdown_writes_trigger");
  }
  if (o.target_file_size < (64 << 10) || o.target_file_size > kMaxBufferSize) {
    return Bad("target_file_size", "must be in [64 KiB, 1 TiB]");
  }
  if (o.max_bytes_for_level_base < (64 << 10)) {
    return Bad("max_bytes_for_level_base", "must be >= 64 KiB");
  }
  if (!(o.max_bytes_for_level_multiplier >= 1.0 && o.max_bytes_for_level_multiplier <= 1000)) {
    return Bad("max_bytes_for_level_multiplier", "must be in [1, 1000]");
  }
  if (o.max_background_jobs < 1 || o.max_background_jobs > 64) {
    return Bad("max_background_jobs", "must be in [1, 64]");
  }
  if (o.compaction_thread_nice < 0 || o.compaction_thread_nice > 19) {
    return Bad("compaction_thread_nice",
               "must be in [0, 19], got " + std::to_string(o.compaction_thread_nice));
  }
  if (o.max_open_files < 16) return Bad("max_open_files", "must be >= 16");
  if (o.blob_file_size < (1 << 10) || o.blob_file_size > kMaxBufferSize) {
    return Bad("blob_file_size",
               "must be in [1 KiB, 1 TiB], got " + std::to_string(o.blob_file_size));
  }
  Status s = CheckFraction("blob_gc_age_cutoff", o.blob_gc_age_cutoff);
  if (s.ok()) s = CheckFraction("blob_gc_garbage_threshold", o.blob_gc_garbage_threshold);
  if (s.ok()) s = CheckFraction("blob_gc_force_threshold", o.blob_gc_force_threshold);
  if (!s.ok()) return s;
  if (!(o.max_space_amplification == 0 ||
        (o.max_space_amplification > 1.0 && o.max_space_amplification <= 100))) {
    return Bad("max_space_amplification", "must be 0 (no ceiling) or in (1, 100], got " +
                                              std::to_string(o.max_space_amplification));
  }
  if (!(o.blob_gc_idle_space_amplification >= 1.0 && o.blob_gc_idle_space_amplification <= 100)) {
    return Bad("blob_gc_idle_space_amplification",
               "must be in [1, 100], got " + std::to_string(o.blob_gc_idle_space_amplification));
  }
  if (o.blob_gc_idle_seconds > 365ull * 24 * 3600) {
    return Bad("blob_gc_idle_seconds", "must be at most a year of seconds");
  }
  return Status::OK();
}

Status ApplyOptionUpdates(const std::unordered_map<std::string, std::string>& updates,
                          Options* options) {
  Options copy = *options;
  for (const auto& [name, value] : updates) {
    auto it = MutableOptions().find(name);
    if (it == MutableOptions().end()) {
      return Status::InvalidArgument("option " + name, "unknown, or not changeable while open");
    }
    if (!it->second(value, &copy)) return Bad(name, "bad value '" + value + "'");
  }
  Status s = ValidateOptions(copy);
  if (s.ok()) *options = copy;
  return s;
}

std::string OptionsToString(const Options& o) {
  std::string r;
  auto add = [&r](const char* name, const std::string& v) {
    r.append(name).append(": ").append(v).append("\n");
  };
  add("write_buffer_size", std::to_string(o.write_buffer_size));
  add("block_size", std::to_string(o.block_size));
  add("compression", CompressionName(o.compression));
  add("num_levels", std::to_string(o.num_levels));
  add("level0_compaction_trigger", std::to_string(o.level0_compaction_trigger));
  add("target_file_size", std::to_string(o.target_file_size));
  add("max_bytes_for_level_base", std::to_string(o.max_bytes_for_level_base));
  add("max_background_jobs", std::to_string(o.max_background_jobs));
  add("compaction_thread_nice", std::to_string(o.compaction_thread_nice));
  add("enable_blob_files", o.enable_blob_files ? "true" : "false");
  add("min_blob_size", std::to_string(o.min_blob_size));
  add("blob_write_time_separation", o.blob_write_time_separation ? "true" : "false");
  add("blob_file_size", std::to_string(o.blob_file_size));
  add("blob_compression", CompressionName(o.blob_compression));
  add("enable_blob_gc", o.enable_blob_gc ? "true" : "false");
  add("blob_gc_age_cutoff", std::to_string(o.blob_gc_age_cutoff));
  add("blob_gc_garbage_threshold", std::to_string(o.blob_gc_garbage_threshold));
  add("blob_gc_force_threshold", std::to_string(o.blob_gc_force_threshold));
  add("max_space_amplification", std::to_string(o.max_space_amplification));
  add("blob_gc_idle_seconds", std::to_string(o.blob_gc_idle_seconds));
  add("blob_gc_idle_space_amplification", std::to_string(o.blob_gc_idle_space_amplification));
  add("blob_gc_rate_limit", std::to_string(o.blob_gc_rate_limit));
  add("blob_gc_slowdown_writes", o.blob_gc_slowdown_writes ? "true" : "false");
  return r;
}

}  // namespace lode
