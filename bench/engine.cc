#include "bench/engine.h"

namespace lode::bench {

Status OpenEngine(const BenchConfig& config, const std::string& dir,
                  std::unique_ptr<BenchEngine>* engine) {
  engine->reset();
  if (config.engine == "lode") return OpenLodeEngine(config, dir, engine);
  if (config.engine == "rocksdb" || config.engine == "rocksdb-blob") {
#ifdef LODE_WITH_ROCKSDB
    return OpenRocksDbEngine(config, dir, config.engine == "rocksdb-blob", engine);
#else
    return Status::NotSupported("--engine=" + config.engine,
                                "this lode_bench was built without RocksDB; install librocksdb-dev "
                                "(apt-get install librocksdb-dev) and re-run cmake");
#endif
  }
  return Status::InvalidArgument("unknown --engine (lode | rocksdb | rocksdb-blob)", config.engine);
}

}  // namespace lode::bench
