// lode demo: the tour of key-value separation and blob GC in one command.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "lib/util/human_format.h"
#include "lib/util/random.h"
#include "lode/db.h"
#include "tools/arg_parser.h"
#include "tools/commands.h"
#include "tools/open_db.h"
#include "tools/tool_common.h"

namespace lode::tool {

namespace {

// The bytes of one object version: a pure function of (seed, size), so the
// demo can check every object byte for byte without keeping them in memory.
std::string ObjectBytes(uint64_t seed, size_t size) {
  std::string v(size, '\0');
  Random rnd(seed);
  for (size_t i = 0; i < size; i += 8) {
    const uint64_t r = rnd.Next64();
    std::memcpy(v.data() + i, &r, size - i < 8 ? size - i : 8);
  }
  return v;
}

struct ObjectVersion {
  uint64_t seed;
  size_t size;
};

// Mixed sizes, as a store of user objects sees them: half small enough to
// stay inline in the tables (8 B - 4 KiB), most of the rest 4 - 256 KiB, and
// one in twenty large (256 KiB - 4 MiB). Log-uniform within each class.
size_t ObjectSize(Random* rnd) {
  const uint64_t cls = rnd->Uniform(20);
  const double lo = cls < 10 ? 8 : cls < 19 ? 4096 : 256 << 10;
  const double hi = cls < 10 ? 4096 : cls < 19 ? 256 << 10 : 4 << 20;
  const double u = static_cast<double>(rnd->Uniform(1 << 20)) / (1 << 20);
  return static_cast<size_t>(lo * std::pow(hi / lo, u));
}

std::string ObjectKey(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "object-%06" PRIu64, i);
  return buf;
}

}  // namespace

// ===== RunDemo =====================================================
// The lead may adjust this function: what the demo stores, the options it
// opens with, and what it prints. Contract: returns an exit status, prints
// progress to stdout, any error as one line on stderr.
int RunDemo(const std::string& dir, uint64_t num_objects, uint64_t seed) {
  const char* cmd = "demo";
  Options options;
  options.create_if_missing = true;
  // Small buffers and files so ~100 MiB of objects spread over a dozen blob
  // files, which makes the per-file report worth reading.
  options.write_buffer_size = 16 << 20;
  options.blob_file_size = 16 << 20;
  options.target_file_size = 4 << 20;
  options.min_blob_size = 4096;

  std::printf("lode demo in %s (%" PRIu64 " objects, seed %" PRIu64 ")\n\n", dir.c_str(),
              num_objects, seed);
  Status s = DestroyDB(dir, options);
  if (!s.ok()) return FailStatus(cmd, dir, s);
  std::unique_ptr<DB> db;
  s = DB::Open(options, dir, &db);
  if (!s.ok()) return FailStatus(cmd, dir, s);

  const double demo_start = NowSeconds();
  Random rnd(seed);
  std::map<std::string, ObjectVersion> model;  // what each live key must read back as
  const auto put = [&](const std::string& key, uint64_t* bytes) {
    const ObjectVersion v{rnd.Next64(), ObjectSize(&rnd)};
    *bytes += v.size;
    model[key] = v;
    return db->Put(WriteOptions(), key, ObjectBytes(v.seed, v.size));
  };

  // 1. Store the objects.
  uint64_t stored_bytes = 0;
  for (uint64_t i = 0; i < num_objects && s.ok(); i++) s = put(ObjectKey(i), &stored_bytes);
  if (!s.ok()) return FailStatus(cmd, dir, s);
  std::printf("1. stored %" PRIu64 " objects of 8 B to 4 MiB: %s\n", num_objects,
              HumanBytes(stored_bytes).c_str());

  // 2. Overwrite about half and delete about a quarter, chosen at random.
  std::vector<uint64_t> order(num_objects);
  for (uint64_t i = 0; i < num_objects; i++) order[i] = i;
  for (uint64_t i = num_objects; i > 1; i--) std::swap(order[i - 1], order[rnd.Uniform(i)]);
  const uint64_t n_over = num_objects / 2, n_del = num_objects / 4;
  uint64_t overwritten_bytes = 0;
  for (uint64_t i = 0; i < n_over && s.ok(); i++) s = put(ObjectKey(order[i]), &overwritten_bytes);
  for (uint64_t i = n_over; i < n_over + n_del && s.ok(); i++) {
    model.erase(ObjectKey(order[i]));
    s = db->Delete(WriteOptions(), ObjectKey(order[i]));
  }
  if (!s.ok()) return FailStatus(cmd, dir, s);
  std::printf("2. overwrote %" PRIu64 " objects (%s of new data), deleted %" PRIu64 "\n", n_over,
              HumanBytes(overwritten_bytes).c_str(), n_del);

  // 3. Flush, and compact so the old versions are dropped and counted as garbage.
  s = db->Flush();
  if (s.ok()) s = db->CompactRange(nullptr, nullptr);
  if (s.ok()) s = db->WaitForBackgroundWork();
  if (!s.ok()) return FailStatus(cmd, dir, s);
  std::printf("3. flushed and compacted: the old versions are now garbage in blob files\n\n");

  GcReport before, after;
  s = db->GetGcReport(&before);
  if (!s.ok()) return FailStatus(cmd, dir, s);
  std::printf("---- GC report before GC ----\n%s\n", before.ToText().c_str());

  // 4. Collect.
  std::printf("4. running blob GC\n");
  const double start = NowSeconds();
  s = db->RunBlobGc(BlobGcOptions());
  if (s.ok()) s = db->WaitForBackgroundWork();
  const double gc_seconds = NowSeconds() - start;
  if (!s.ok()) return FailStatus(cmd, dir, s);
  s = db->GetGcReport(&after);
  if (!s.ok()) return FailStatus(cmd, dir, s);
  std::printf("---- GC report after GC (%.2f s) ----\n%s\n", gc_seconds, after.ToText().c_str());

  const uint64_t freed = before.blob_file_bytes > after.blob_file_bytes
                             ? before.blob_file_bytes - after.blob_file_bytes
                             : 0;
  std::printf(
      "Summary: before GC, %" PRIu64
      " blob files took %s on disk to hold %s of live objects "
      "(space amplification %.2fx); %s of that was garbage left behind by the overwrites and "
      "deletes. Blob GC rewrote %s of live blobs into new files and dropped %" PRIu64
      " old file(s), freeing %s: the blob files now take %s for %s of live objects (%.2fx).\n\n",
      before.num_blob_files, HumanBytes(before.blob_file_bytes).c_str(),
      HumanBytes(before.live_blob_bytes).c_str(), before.space_amplification,
      HumanBytes(before.garbage_blob_bytes).c_str(),
      HumanBytes(after.bytes_relocated - before.bytes_relocated).c_str(),
      after.files_dropped - before.files_dropped, HumanBytes(freed).c_str(),
      HumanBytes(after.blob_file_bytes).c_str(), HumanBytes(after.live_blob_bytes).c_str(),
      after.space_amplification);

  // 5. Every remaining object must read back byte for byte; deleted ones not at all.
  uint64_t checked = 0;
  for (uint64_t i = 0; i < num_objects; i++) {
    const std::string key = ObjectKey(i);
    std::string value;
    s = db->Get(ReadOptions(), key, &value);
    auto it = model.find(key);
    if (it == model.end()) {
      if (!s.IsNotFound()) {
        return Fail(
            cmd, kExitFailure,
            dir + ": deleted " + key + " still reads as " + (s.ok() ? "a value" : s.ToString()));
      }
      continue;
    }
    if (!s.ok()) return FailStatus(cmd, dir, s);
    if (value != ObjectBytes(it->second.seed, it->second.size)) {
      return Fail(cmd, kExitFailure, dir + ": " + key + " reads back different bytes");
    }
    checked++;
  }
  db.reset();  // VerifyDB reads the files of a closed DB
  VerifyReport vr;
  s = VerifyDB(dir, options, &vr);
  if (!s.ok()) return FailStatus(cmd, dir, s);
  std::printf("5. read back all %" PRIu64 " remaining objects byte-exact; VerifyDB checked %" PRIu64
              " table(s), %" PRIu64 " blob file(s), %" PRIu64 " blob references: OK\n",
              checked, vr.tables_checked, vr.blob_files_checked, vr.blob_refs_checked);
  std::printf("\nDone in %.1f s: %" PRIu64
              " objects, %s written by the user; blob space "
              "amplification %.2fx before GC, %.2fx after.\n",
              NowSeconds() - demo_start, num_objects,
              HumanBytes(stored_bytes + overwritten_bytes).c_str(), before.space_amplification,
              after.space_amplification);
  return kExitOk;
}
// ===== end RunDemo =================================================

int RunDemoCommand(const Args& args) {
  ArgParser p("demo", "[DIR]",
              "Creates a DB in DIR (default ./lode-demo-db; an existing DB there is\n"
              "destroyed first), stores objects of 8 B to 4 MiB, overwrites about\n"
              "half and deletes about a quarter, prints the GC report, runs blob GC,\n"
              "prints the report again with a summary, then reads every object back\n"
              "and verifies the DB.");
  p.AddOption("--objects", "N", "how many objects to store (3000)");
  p.AddOption("--seed", "N", "seed of the object sizes and contents (1)");
  p.SetPositionalCount(0, 1);
  int code;
  if (!ParseArgs(&p, args, &code)) return code;
  uint64_t objects, seed;
  Status s = p.GetSize("--objects", 3000, &objects);
  if (s.ok()) s = p.GetSize("--seed", 1, &seed);
  if (!s.ok()) return UsageError(p, s);
  const std::string dir = p.positionals().empty() ? "./lode-demo-db" : p.positionals()[0];
  return RunDemo(dir, objects, seed);
}

}  // namespace lode::tool
