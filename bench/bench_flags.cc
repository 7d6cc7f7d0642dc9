#include "bench/bench_flags.h"

#include <algorithm>
#include <cctype>

namespace lode::bench {

bool ParseCompressionName(const std::string& name, Compression* out) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "none" || lower == "no") {
    *out = Compression::kNone;
  } else if (lower == "lz4") {
    *out = Compression::kLZ4;
  } else {
    return false;
  }
  return true;
}

const char* CompressionName(Compression c) { return c == Compression::kLZ4 ? "lz4" : "none"; }

namespace {

void AddCompressionFlag(FlagSet* flags, const std::string& name, Compression* var,
                        const std::string& help) {
  flags->AddCustom(
      name, [var](const std::string& text) { return ParseCompressionName(text, var); },
      [var] { return std::string(CompressionName(*var)); }, help);
}

}  // namespace

void RegisterBenchFlags(FlagSet* f, BenchConfig* c) {
  f->Add("benchmarks", &c->benchmarks,
         "comma list run in order on one DB: fillseq, fillrandom, overwrite, readrandom, "
         "readmissing, seekrandom, readwhilewriting, deleterandom, compact, gc");
  f->Add("num", &c->num, "keys in the key space, and operations per write benchmark");
  f->Add("reads", &c->reads, "operations per read benchmark (< 0: --num)");
  f->Add("seeks", &c->seeks,
         "operations of seekrandom (< 0: --reads); a seek with its nexts reads many values");
  f->Add("value_size", &c->value_size, "value bytes when --value_size_dist=fixed");
  f->Add("value_size_dist", &c->value_size_dist,
         "fixed | uniform:MIN:MAX | mix:SIZE@WEIGHT,SIZE@WEIGHT,... (sizes take K/M suffixes)");
  f->Add("key_size", &c->key_size, "key bytes (zero-padded decimal key numbers)");
  f->Add("compression_ratio", &c->compression_ratio,
         "values are built to compress to about this fraction of their size");
  f->Add("seek_nexts", &c->seek_nexts, "Next() calls after each Seek in seekrandom");
  f->Add("threads", &c->threads, "worker threads per benchmark (ops are split among them)");
  f->Add("seed", &c->seed, "seed of every random choice of the run");
  f->Add("sync", &c->sync, "fsync the WAL on every write");
  f->Add("disable_wal", &c->disable_wal, "write without the WAL");
  f->Add("db", &c->db, "DB directory (default /tmp/lode_bench-<engine>)");
  f->Add("use_existing_db", &c->use_existing_db,
         "open the DB as it is instead of destroying it first");
  f->Add("engine", &c->engine, "lode | rocksdb | rocksdb-blob");
  f->Add("json", &c->json,
         "write one JSON object per benchmark (JSON lines) to this file (truncated first)");
  f->Add("verify", &c->verify, "check every value read against the key it was read for");
  f->Add("wait", &c->wait,
         "after each benchmark, wait for flushes and compactions before measuring sizes");
  f->Add("stats", &c->stats, "print the engine's statistics at the end");
  f->Add("space_sample_ms", &c->space_sample_ms,
         "sample the DB directory size this often during each benchmark and report the "
         "maximum (0: only at the end)");
  f->Add("idle_seconds", &c->idle_seconds,
         "seconds the idle benchmark does nothing (background work goes on)");
  f->Add("gc_full", &c->gc_full,
         "the gc benchmark reclaims all garbage (lode: every file with garbage; rocksdb-blob: "
         "age cutoff 1.0)");
  f->Add("encryption", &c->encryption,
         "lode: encrypt every file (AES-256-GCM, random key, static key provider)");

  Options* o = &c->options;
  f->Add("paranoid_checks", &o->paranoid_checks, "verify every file at open");
  f->Add("verify_checksums", &c->verify_checksums, "ReadOptions::verify_checksums");
  f->Add("write_buffer_size", &o->write_buffer_size, "memtable bytes before a flush");
  f->Add("block_size", &o->block_size, "SSTable data block bytes");
  f->Add("bloom_bits", &o->bloom_bits_per_key, "bloom filter bits per key (0: none)");
  AddCompressionFlag(f, "compression", &o->compression, "SSTable block compression: none | lz4");
  f->Add("block_cache_size", &o->block_cache_capacity, "block cache bytes");
  f->Add("num_levels", &o->num_levels, "LSM levels");
  f->Add("level0_file_num_compaction_trigger", &o->level0_compaction_trigger,
         "L0 files that trigger a compaction");
  f->Add("level0_slowdown_writes_trigger", &o->level0_slowdown_writes_trigger,
         "L0 files that slow writes down");
  f->Add("level0_stop_writes_trigger", &o->level0_stop_writes_trigger, "L0 files that stop writes");
  f->Add("target_file_size", &o->target_file_size, "target SSTable bytes");
  f->Add("target_file_size_base", &o->target_file_size, "same as --target_file_size");
  f->Add("max_bytes_for_level_base", &o->max_bytes_for_level_base, "L1 target bytes");
  f->Add("max_bytes_for_level_multiplier", &o->max_bytes_for_level_multiplier,
         "size ratio of adjacent levels");
  f->Add("max_background_jobs", &o->max_background_jobs, "flush + compaction threads");
  f->Add("compaction_thread_nice", &o->compaction_thread_nice,
         "lode: nice value (0..19) of the compaction and GC threads");
  f->Add("open_files", &o->max_open_files, "table and blob file readers kept open");
  f->Add("enable_blob_files", &o->enable_blob_files,
         "lode: separate large values into blob files (rocksdb-blob always does)");
  f->Add("min_blob_size", &o->min_blob_size, "values of at least this many bytes go to blob files");
  f->Add("blob_file_size", &o->blob_file_size, "target blob file bytes");
  f->Add("blob_write_time_separation", &o->blob_write_time_separation,
         "lode: write large values to blob files at write time, only their index to the WAL");
  AddCompressionFlag(f, "blob_compression", &o->blob_compression, "blob compression: none | lz4");
  f->Add("blob_cache_size", &o->blob_cache_capacity, "blob cache bytes (0: none)");
  f->Add("enable_blob_gc", &o->enable_blob_gc, "relocate live blobs out of old/garbage blob files");
  f->Add("blob_gc_age_cutoff", &o->blob_gc_age_cutoff,
         "oldest fraction of blob files eligible for GC");
  f->Add("blob_gc_garbage_threshold", &o->blob_gc_garbage_threshold,
         "lode: blob files with at least this garbage ratio are eligible");
  f->Add("blob_gc_force_threshold", &o->blob_gc_force_threshold,
         "garbage ratio of eligible files that forces targeted compactions");
  f->Add("max_space_amplification", &o->max_space_amplification,
         "lode: space ceiling kept by background GC (0: none)");
  f->Add("blob_gc_idle_seconds", &o->blob_gc_idle_seconds,
         "lode: seconds without writes before idle reclamation (0: never)");
  f->Add("blob_gc_idle_space_amplification", &o->blob_gc_idle_space_amplification,
         "lode: where idle reclamation stops");
  f->Add("blob_gc_rate_limit", &o->blob_gc_rate_limit,
         "lode: bytes/s GC may copy under the ceiling (0: unpaced)");
  f->Add("blob_gc_slowdown_writes", &o->blob_gc_slowdown_writes,
         "lode: slow writes down when blob space outruns GC past the ceiling");
}

}  // namespace lode::bench
