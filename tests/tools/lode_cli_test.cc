// End-to-end tests of the built `lode` binary: exit codes, one-line errors,
// byte-exact values, and the reports on a real DB.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "blob/blob_file_writer.h"
#include "blob/blob_index.h"
#include "lib/dbformat.h"
#include "lib/util/comparator.h"
#include "lib/util/random.h"
#include "lode/db.h"
#include "lode/env.h"
#include "table/table_builder.h"
#include "tests/tools/mini_json.h"
#include "tests/util/test_util.h"

#ifndef LODE_CLI_PATH
#error "LODE_CLI_PATH must name the lode binary (set in tests/CMakeLists.txt)"
#endif

namespace lode {
namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ShellQuote(const std::string& s) {
  std::string q(1, '\'');
  for (char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q.push_back(c);
    }
  }
  q += '\'';
  return q;
}

class LodeCliTest : public testing::Test {
 protected:
  // Runs lode with args; stdin from stdin_file when given, else /dev/null.
  CliRun Lode(const std::vector<std::string>& args, const std::string& stdin_file = "") {
    std::string cmd = ShellQuote(LODE_CLI_PATH);
    for (const auto& a : args) {
      cmd += ' ';
      cmd += ShellQuote(a);
    }
    const std::string out = dir_.File("stdout"), err = dir_.File("stderr");
    cmd += " <";
    cmd += ShellQuote(stdin_file.empty() ? "/dev/null" : stdin_file);
    cmd += " >";
    cmd += ShellQuote(out);
    cmd += " 2>";
    cmd += ShellQuote(err);
    const int status = std::system(cmd.c_str());
    CliRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = test::ReadAll(out);
    r.err = test::ReadAll(err);
    return r;
  }

  // Fails unless err is exactly one line starting with "lode: <command>: ".
  static void ExpectOneLineError(const CliRun& r, const std::string& command) {
    EXPECT_EQ(r.err.rfind("lode: " + command + ": ", 0), 0u) << r.err;
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.back(), '\n');
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line: " << r.err;
  }

  std::string Db() const { return dir_.File("db"); }

  test::TempDir dir_;
};

TEST_F(LodeCliTest, HelpListsEveryCommandAndExitsZero) {
  CliRun r = Lode({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* cmd : {"put", "get", "del", "scan", "load", "stats", "gc-report", "gc", "verify",
                          "dump-sst", "dump-blob", "demo"}) {
    EXPECT_NE(r.out.find(std::string("  ") + cmd + " "), std::string::npos) << cmd;
  }
  r = Lode({"load", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("usage: lode load"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--value-size-max"), std::string::npos) << r.out;
  EXPECT_TRUE(r.err.empty());
}

TEST_F(LodeCliTest, NoArgumentsAndUnknownCommandAreUsageErrors) {
  CliRun r = Lode({});
  EXPECT_EQ(r.exit_code, 2);
  r = Lode({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectOneLineError(r, "frobnicate");
}

TEST_F(LodeCliTest, BadNumberNamesTheOptionAndExitsTwo) {
  CliRun r = Lode({"load", Db(), "--count", "abc", "--value-size", "1K", "--create"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "lode: load: --count: 'abc' is not a number\n");
  EXPECT_FALSE(Env::Default()->FileExists(Db())) << "a usage error does nothing";
  r = Lode({"scan", Db(), "--limit", "10Q"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "lode: scan: --limit: '10Q' is not a number\n");
  r = Lode({"get", Db()});
  EXPECT_EQ(r.exit_code, 2);
  ExpectOneLineError(r, "get");
}

TEST_F(LodeCliTest, MissingDbIsAOneLineErrorNamingThePath) {
  for (const char* cmd : {"get", "scan", "stats", "gc-report", "gc", "verify", "del"}) {
    std::vector<std::string> args = {cmd, Db()};
    if (std::string(cmd) == "get" || std::string(cmd) == "del") args.push_back("k");
    CliRun r = Lode(args);
    EXPECT_EQ(r.exit_code, 1) << cmd;
    ExpectOneLineError(r, cmd);
    EXPECT_NE(r.err.find(Db()), std::string::npos) << r.err;
  }
  CliRun r = Lode({"put", Db(), "k", "v"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--create"), std::string::npos) << r.err;
  EXPECT_FALSE(Env::Default()->FileExists(Db() + "/CURRENT")) << "no DB without --create";
}

TEST_F(LodeCliTest, PutFileThenGetIsByteExactFor3MiBBinary) {
  Random rnd(301);
  const std::string value = test::RandomBytes(&rnd, 3 << 20);
  test::WriteAll(dir_.File("in.bin"), value);
  CliRun r = Lode({"put", Db(), "big/object", "--file", dir_.File("in.bin"), "--create"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  r = Lode({"get", Db(), "big/object"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.out.size(), value.size());
  EXPECT_TRUE(r.out == value) << "value read back differs";
}

TEST_F(LodeCliTest, PutFromStdinAndArgumentKeepsBytesExactly) {
  const std::string value("line1\nline2\n\0\xff tail", 20);
  test::WriteAll(dir_.File("stdin.bin"), value);
  ASSERT_EQ(Lode({"put", Db(), "from-stdin", "-", "--create"}, dir_.File("stdin.bin")).exit_code,
            0);
  ASSERT_EQ(Lode({"put", Db(), "from-arg", "hello world"}).exit_code, 0);
  CliRun r = Lode({"get", Db(), "from-stdin"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(r.out == value);
  r = Lode({"get", Db(), "from-arg"});
  EXPECT_EQ(r.out, "hello world");
}

TEST_F(LodeCliTest, PutNeedsExactlyOneValueSource) {
  CliRun r = Lode({"put", Db(), "k", "--create"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectOneLineError(r, "put");
  r = Lode({"put", Db(), "k", "v", "--file", "/etc/hostname", "--create"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectOneLineError(r, "put");
  r = Lode({"put", Db(), "k", "--file", dir_.File("no-such-file"), "--create"});
  EXPECT_EQ(r.exit_code, 1);
  ExpectOneLineError(r, "put");
  EXPECT_NE(r.err.find("no-such-file"), std::string::npos) << r.err;
}

TEST_F(LodeCliTest, GetMissingKeyExitsOneAndDelRemoves) {
  ASSERT_EQ(Lode({"put", Db(), "k1", "v1", "--create"}).exit_code, 0);
  CliRun r = Lode({"get", Db(), "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "lode: get: " + Db() + ": key 'nope' not found\n");
  EXPECT_TRUE(r.out.empty());
  ASSERT_EQ(Lode({"del", Db(), "k1"}).exit_code, 0);
  EXPECT_EQ(Lode({"get", Db(), "k1"}).exit_code, 1);
  EXPECT_EQ(Lode({"del", Db(), "never-there"}).exit_code, 0);
}

TEST_F(LodeCliTest, ScanHonoursRangeLimitAndEscapes) {
  ASSERT_EQ(Lode({"put", Db(), "a", "1", "--create"}).exit_code, 0);
  ASSERT_EQ(Lode({"put", Db(), "b", "x\ty"}).exit_code, 0);
  ASSERT_EQ(Lode({"put", Db(), "c", "3"}).exit_code, 0);
  ASSERT_EQ(Lode({"put", Db(), "d", "4"}).exit_code, 0);
  CliRun r = Lode({"scan", Db()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a\t1\nb\tx\\x09y\nc\t3\nd\t4\n");
  r = Lode({"scan", Db(), "--from", "b", "--to", "d", "--keys-only"});
  EXPECT_EQ(r.out, "b\nc\n");
  r = Lode({"scan", Db(), "--limit", "1"});
  EXPECT_EQ(r.out, "a\t1\n");
}

TEST_F(LodeCliTest, LoadThenJsonReportVerifyGcAndHtml) {
  CliRun r =
      Lode({"load", Db(), "--create", "--count", "300", "--value-size", "8K", "--value-size-max",
            "24K", "--overwrite-fraction", "0.4", "--delete-fraction", "0.1", "--seed", "7"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("load: 300 ops (", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("MB/s"), std::string::npos) << r.out;
  EXPECT_TRUE(r.err.empty()) << "no progress bar when stderr is not a terminal: " << r.err;

  r = Lode({"gc-report", Db(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  test::JsonValue v;
  std::string error;
  ASSERT_TRUE(test::JsonParser::Parse(r.out, &v, &error)) << error << "\n" << r.out;
  EXPECT_EQ(v["format_version"].text, "1");
  const uint64_t files = v["totals"]["num_blob_files"].uint();
  EXPECT_GE(files, 1u) << "8-24 KiB values go to blob files";
  EXPECT_EQ(v["files"].array.size(), files);
  EXPECT_GT(v["totals"]["live_blob_bytes"].uint(), 0u);

  r = Lode({"gc-report", Db()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("Blob GC report\n", 0), 0u) << r.out;

  r = Lode({"gc-report", Db(), "--html", dir_.File("report.html")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = test::ReadAll(dir_.File("report.html"));
  size_t bars = 0;
  for (size_t at = html.find("class=\"bar\""); at != std::string::npos;
       at = html.find("class=\"bar\"", at + 1)) {
    bars++;
  }
  EXPECT_EQ(bars, files);

  r = Lode({"verify", Db()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK"), std::string::npos) << r.out;

  r = Lode({"gc", Db(), "--age-cutoff", "1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("gc: " + Db() + ": reclaimed ", 0), 0u) << r.out;

  r = Lode({"verify", Db()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  r = Lode({"stats", Db()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("== lode.blob-stats =="), std::string::npos) << r.out;
}

TEST_F(LodeCliTest, VerifyReportsACorruptBlobFileAndExitsOne) {
  ASSERT_EQ(Lode({"load", Db(), "--create", "--count", "40", "--value-size", "16K"}).exit_code, 0);
  ASSERT_EQ(Lode({"verify", Db()}).exit_code, 0);
  std::vector<std::string> children;
  ASSERT_TRUE(Env::Default()->GetChildren(Db(), &children).ok());
  std::string blob;
  for (const std::string& name : children) {
    if (name.size() > 5 && name.substr(name.size() - 5) == ".blob") blob = Db() + "/" + name;
  }
  ASSERT_FALSE(blob.empty());
  std::string bytes = test::ReadAll(blob);
  bytes[bytes.size() / 2] ^= 0x40;  // inside some record's value
  test::WriteAll(blob, bytes);
  CliRun r = Lode({"verify", Db()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("PROBLEM: "), std::string::npos) << r.out;
  ExpectOneLineError(r, "verify");
  EXPECT_NE(r.err.find(Db()), std::string::npos) << r.err;
}

TEST_F(LodeCliTest, GcRejectsUnknownBlobFile) {
  ASSERT_EQ(Lode({"put", Db(), "k", "v", "--create"}).exit_code, 0);
  CliRun r = Lode({"gc", Db(), "--files", "999999"});
  EXPECT_EQ(r.exit_code, 2);
  ExpectOneLineError(r, "gc");
  r = Lode({"gc", Db(), "--age-cutoff", "2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "lode: gc: --age-cutoff: '2' is not between 0 and 1\n");
}

TEST_F(LodeCliTest, DumpSstAndDumpBlobReadTheFilesOfALoadedDb) {
  ASSERT_EQ(Lode({"load", Db(), "--create", "--count", "50", "--value-size", "300",
                  "--value-size-max", "9000", "--min-blob-size", "4K"})
                .exit_code,
            0);
  std::vector<std::string> children;
  ASSERT_TRUE(Env::Default()->GetChildren(Db(), &children).ok());
  int ssts = 0, blobs = 0;
  for (const std::string& name : children) {
    const std::string path = Db() + "/" + name;
    if (name.size() > 4 && name.substr(name.size() - 4) == ".sst") {
      CliRun r = Lode({"dump-sst", path});
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_NE(r.out.find("entries"), std::string::npos);
      EXPECT_NE(r.out.find(" value '"), std::string::npos) << "small values are inline";
      EXPECT_NE(r.out.find(" blob-index file="), std::string::npos) << "large ones are not";
      ssts++;
    } else if (name.size() > 5 && name.substr(name.size() - 5) == ".blob") {
      CliRun r = Lode({"dump-blob", path});
      EXPECT_EQ(r.exit_code, 0) << r.err;
      EXPECT_NE(r.out.find("header: version 1"), std::string::npos) << r.out;
      EXPECT_NE(r.out.find("footer: "), std::string::npos) << r.out;
      blobs++;
    }
  }
  EXPECT_GE(ssts, 1);
  EXPECT_GE(blobs, 1);
  CliRun r = Lode({"dump-sst", dir_.File("nothing.sst")});
  EXPECT_EQ(r.exit_code, 1);
  ExpectOneLineError(r, "dump-sst");
}

// Builds one blob file and one table pointing into it with the format
// libraries, then dumps both: no engine involved.
TEST_F(LodeCliTest, DumpBlobAndDumpSstShowRecordsAndDecodedIndexes) {
  Env* env = Env::Default();
  const std::string blob_name = dir_.File("000007.blob");
  std::unique_ptr<WritableFile> wf;
  ASSERT_TRUE(env->NewWritableFile(blob_name, &wf).ok());
  BlobFileWriter blob(std::move(wf), blob_name, 7, Compression::kNone);
  ASSERT_TRUE(blob.Open().ok());
  BlobIndex index;
  ASSERT_TRUE(blob.AddBlob("big\x01key", std::string(5000, 'b'), &index).ok());
  ASSERT_TRUE(blob.Finish().ok());

  const std::string sst_name = dir_.File("000008.sst");
  ASSERT_TRUE(env->NewWritableFile(sst_name, &wf).ok());
  const InternalKeyComparator icmp(BytewiseComparator());
  TableBuilderOptions topts;
  topts.icmp = &icmp;
  TableBuilder builder(topts, wf.get());
  std::string encoded;
  index.EncodeTo(&encoded);
  builder.Add(InternalKey("big\x01key", 12, kTypeBlobIndex).Encode(), encoded);
  builder.Add(InternalKey("gone", 11, kTypeDeletion).Encode(), "");
  builder.Add(InternalKey("small", 10, kTypeValue).Encode(), "tiny\tvalue");
  ASSERT_TRUE(builder.Finish().ok());
  ASSERT_TRUE(wf->Close().ok());

  CliRun r = Lode({"dump-blob", blob_name});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("header: version 1, file number 7, compression none"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("'big\\x01key' stored 5000 bytes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("footer: 1 blobs, 5000 blob bytes"), std::string::npos) << r.out;

  r = Lode({"dump-sst", sst_name});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("entries          3 (1 deletions, 1 blob indexes)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("'big\\x01key' @ 12 blob-index " + index.DebugString()), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("'gone' @ 11 del"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("'small' @ 10 value 'tiny\\x09value'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(3 entries)"), std::string::npos) << r.out;

  // A renamed copy of the blob file still dumps (number from its header).
  ASSERT_TRUE(env->RenameFile(blob_name, dir_.File("copy.bin")).ok());
  r = Lode({"dump-blob", dir_.File("copy.bin")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(LodeCliTest, DumpSstRejectsACorruptFileInOneLine) {
  test::WriteAll(dir_.File("000001.sst"), std::string(4096, 'x'));
  CliRun r = Lode({"dump-sst", dir_.File("000001.sst")});
  EXPECT_EQ(r.exit_code, 1);
  ExpectOneLineError(r, "dump-sst");
  test::WriteAll(dir_.File("000002.blob"), std::string(100, 'y'));
  r = Lode({"dump-blob", dir_.File("000002.blob")});
  EXPECT_EQ(r.exit_code, 1);
  ExpectOneLineError(r, "dump-blob");
}

}  // namespace
}  // namespace lode

namespace lode {
namespace {

class LodeCliDbTest : public LodeCliTest {
 protected:
  // A DB with garbage: blobs overwritten and compacted so the old ones count.
  void PrepareDbWithGarbage() {
    Options o;
    o.min_blob_size = 1024;
    o.blob_compression = Compression::kNone;
    o.enable_blob_gc = false;  // the garbage stays for the commands to see
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(o, Db(), &db).ok());
    for (int round = 0; round < 2; round++) {
      // The second round overwrites half: the first file keeps live blobs.
      for (int i = 0; i < (round == 0 ? 60 : 30); i++) {
        ASSERT_TRUE(db->Put(WriteOptions(), "k" + std::to_string(i),
                            std::string(4000 + round, static_cast<char>('a' + round)))
                        .ok());
      }
      ASSERT_TRUE(db->Flush().ok());
    }
    ASSERT_TRUE(db->CompactRange(nullptr, nullptr).ok());
  }
  GcReport ReportInProcess() {
    std::unique_ptr<DB> db;
    GcReport r;
    Options o;
    o.enable_blob_gc = false;  // looking must not change what is seen
    EXPECT_TRUE(DB::Open(o, Db(), &db).ok());
    if (db != nullptr) {
      EXPECT_TRUE(db->GetGcReport(&r).ok());
    }
    return r;
  }
};

TEST_F(LodeCliDbTest, LockedDbIsAOneLineErrorAndNonZeroExit) {
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(Options(), Db(), &db).ok());
  for (const char* cmd : {"get", "stats", "gc"}) {
    std::vector<std::string> args = {cmd, Db()};
    if (std::string(cmd) == "get") args.push_back("k");
    CliRun r = Lode(args);
    EXPECT_EQ(r.exit_code, 1) << cmd;
    ExpectOneLineError(r, cmd);
    EXPECT_NE(r.err.find("LOCK"), std::string::npos) << r.err;
  }
}

TEST_F(LodeCliDbTest, JsonReportNumbersMatchGetGcReport) {
  PrepareDbWithGarbage();
  const GcReport expected = ReportInProcess();
  ASSERT_GT(expected.garbage_blob_bytes, 0u);
  CliRun r = Lode({"gc-report", Db(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  test::JsonValue v;
  std::string error;
  ASSERT_TRUE(test::JsonParser::Parse(r.out, &v, &error)) << error;
  EXPECT_EQ(expected.num_blob_files, v["totals"]["num_blob_files"].uint());
  EXPECT_EQ(expected.live_blob_bytes, v["totals"]["live_blob_bytes"].uint());
  EXPECT_EQ(expected.garbage_blob_bytes, v["totals"]["garbage_blob_bytes"].uint());
  ASSERT_EQ(expected.files.size(), v["files"].array.size());
  for (size_t i = 0; i < expected.files.size(); i++) {
    EXPECT_EQ(expected.files[i].number, v["files"].array[i]["number"].uint());
    EXPECT_EQ(expected.files[i].garbage_bytes, v["files"].array[i]["garbage_bytes"].uint());
  }
}

TEST_F(LodeCliDbTest, GcReducesGarbageOfAPreparedDb) {
  PrepareDbWithGarbage();
  const GcReport before = ReportInProcess();
  ASSERT_GT(before.garbage_blob_bytes, 0u);
  CliRun r = Lode({"gc", Db()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const GcReport after = ReportInProcess();
  EXPECT_EQ(0u, after.garbage_blob_bytes);
  EXPECT_LT(after.blob_file_bytes, before.blob_file_bytes);
  EXPECT_EQ(before.live_blob_bytes, after.live_blob_bytes);
}

TEST_F(LodeCliDbTest, DemoRunsToCompletion) {
  CliRun r = Lode({"demo", dir_.File("demo"), "--objects", "300"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("byte-exact"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Done in"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace lode
