// The flags of lode_bench: binds every BenchConfig field to a --flag with
// db_bench's name where db_bench has one, and lode's option name otherwise.
#ifndef LODE_BENCH_BENCH_FLAGS_H_
#define LODE_BENCH_BENCH_FLAGS_H_

#include "bench/bench_config.h"
#include "bench/flag_set.h"

namespace lode::bench {

// Registers the flags on *flags, writing into *config (which must outlive
// flags). Defaults are the values *config holds now.
void RegisterBenchFlags(FlagSet* flags, BenchConfig* config);

// "none" / "lz4" (case-insensitive) to a Compression; false otherwise.
bool ParseCompressionName(const std::string& name, Compression* out);
const char* CompressionName(Compression c);

}  // namespace lode::bench

#endif  // LODE_BENCH_BENCH_FLAGS_H_
