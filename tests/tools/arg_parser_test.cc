#include "tools/arg_parser.h"

#include <gtest/gtest.h>

namespace lode::tool {
namespace {

TEST(ParseSizeTest, PlainNumbersAndBinarySuffixes) {
  uint64_t v = 0;
  ASSERT_TRUE(ParseSize("0", &v).ok());
  EXPECT_EQ(v, 0u);
  ASSERT_TRUE(ParseSize("12345", &v).ok());
  EXPECT_EQ(v, 12345u);
  ASSERT_TRUE(ParseSize("64K", &v).ok());
  EXPECT_EQ(v, 64u << 10);
  ASSERT_TRUE(ParseSize("64k", &v).ok());
  EXPECT_EQ(v, 64u << 10);
  ASSERT_TRUE(ParseSize("4M", &v).ok());
  EXPECT_EQ(v, 4u << 20);
  ASSERT_TRUE(ParseSize("2G", &v).ok());
  EXPECT_EQ(v, uint64_t{2} << 30);
  ASSERT_TRUE(ParseSize("3T", &v).ok());
  EXPECT_EQ(v, uint64_t{3} << 40);
  ASSERT_TRUE(ParseSize("16KiB", &v).ok());
  EXPECT_EQ(v, 16u << 10);
  ASSERT_TRUE(ParseSize("16KB", &v).ok());
  EXPECT_EQ(v, 16u << 10);
  ASSERT_TRUE(ParseSize("1.5M", &v).ok());
  EXPECT_EQ(v, 3u << 19);
  ASSERT_TRUE(ParseSize("18446744073709551615", &v).ok());
  EXPECT_EQ(v, UINT64_MAX);
}

TEST(ParseSizeTest, RejectsWhatIsNotANumberWithTheTextInTheMessage) {
  uint64_t v = 7;
  for (const char* bad :
       {"", "abc", "-1", "+1", " 1", "1 ", "1X", "1KK", "K", "1.", ".5K", "0x10", "1e3", "12,3"}) {
    Status s = ParseSize(bad, &v);
    EXPECT_TRUE(s.IsInvalidArgument()) << bad;
    EXPECT_NE(s.message().find(std::string("'") + bad + "'"), std::string::npos) << s.message();
  }
  EXPECT_EQ(v, 7u) << "a failed parse leaves the value alone";
  EXPECT_EQ(ParseSize("abc", &v).message(), "'abc' is not a number");
}

TEST(ParseSizeTest, RejectsOverflowAndFractionsWithoutSuffix) {
  uint64_t v;
  EXPECT_EQ(ParseSize("18446744073709551616", &v).message(), "'18446744073709551616' is too large");
  EXPECT_EQ(ParseSize("99999999999999999999999", &v).message(),
            "'99999999999999999999999' is too large");
  EXPECT_EQ(ParseSize("16777216T", &v).message(), "'16777216T' is too large");
  EXPECT_EQ(ParseSize("1.5", &v).message(), "'1.5' is not a whole number");
}

TEST(ParseDoubleTest, AcceptsDecimalsRejectsTheRest) {
  double d = 0;
  ASSERT_TRUE(ParseDouble("0.25", &d).ok());
  EXPECT_DOUBLE_EQ(d, 0.25);
  ASSERT_TRUE(ParseDouble("1", &d).ok());
  EXPECT_DOUBLE_EQ(d, 1.0);
  ASSERT_TRUE(ParseDouble(".5", &d).ok());
  EXPECT_DOUBLE_EQ(d, 0.5);
  ASSERT_TRUE(ParseDouble("1e-3", &d).ok());
  EXPECT_DOUBLE_EQ(d, 0.001);
  for (const char* bad : {"", "abc", "nan", "inf", " 1", "1 ", "0x1p3", "1.0.0", "1e999"}) {
    EXPECT_TRUE(ParseDouble(bad, &d).IsInvalidArgument()) << bad;
  }
}

TEST(ParseSizeListTest, CommaSeparatedNumbers) {
  std::vector<uint64_t> v;
  ASSERT_TRUE(ParseSizeList("12,15,7", &v).ok());
  EXPECT_EQ(v, (std::vector<uint64_t>{12, 15, 7}));
  ASSERT_TRUE(ParseSizeList("3", &v).ok());
  EXPECT_EQ(v, (std::vector<uint64_t>{3}));
  EXPECT_FALSE(ParseSizeList("1,,2", &v).ok());
  EXPECT_FALSE(ParseSizeList("1,", &v).ok());
  EXPECT_FALSE(ParseSizeList("", &v).ok());
  EXPECT_FALSE(ParseSizeList("1,x", &v).ok());
}

ArgParser LoadLikeParser() {
  ArgParser p("load", "DB", "Loads.");
  p.AddOption("--count", "N", "how many");
  p.AddOption("--fraction", "F", "a fraction");
  p.AddSwitch("--keys-only", "only keys");
  p.SetPositionalCount(1, 2);
  return p;
}

TEST(ArgParserTest, OptionsSwitchesAndPositionalsInAnyOrder) {
  ArgParser p = LoadLikeParser();
  ASSERT_TRUE(p.Parse({"--count", "10K", "/tmp/db", "--keys-only", "--fraction=0.5", "-"}).ok());
  EXPECT_FALSE(p.help_requested());
  EXPECT_EQ(p.positionals(), (std::vector<std::string>{"/tmp/db", "-"}));
  EXPECT_TRUE(p.Has("--keys-only"));
  uint64_t count;
  ASSERT_TRUE(p.GetSize("--count", 0, &count).ok());
  EXPECT_EQ(count, 10240u);
  double f;
  ASSERT_TRUE(p.GetFraction("--fraction", 0, &f).ok());
  EXPECT_DOUBLE_EQ(f, 0.5);
}

TEST(ArgParserTest, DefaultsWhenAbsentAndLastOccurrenceWins) {
  ArgParser p = LoadLikeParser();
  ASSERT_TRUE(p.Parse({"db", "--count", "1", "--count", "2"}).ok());
  uint64_t count;
  ASSERT_TRUE(p.GetSize("--count", 0, &count).ok());
  EXPECT_EQ(count, 2u);
  double f = 0;
  ASSERT_TRUE(p.GetFraction("--fraction", 0.25, &f).ok());
  EXPECT_DOUBLE_EQ(f, 0.25);
  ASSERT_TRUE(p.GetFraction("--fraction", -1, &f).ok()) << "an out-of-range default is not checked";
  EXPECT_DOUBLE_EQ(f, -1);
  EXPECT_FALSE(p.Has("--keys-only"));
  EXPECT_EQ(p.GetString("--fraction", "dflt"), "dflt");
}

TEST(ArgParserTest, BadNumberErrorNamesTheOption) {
  ArgParser p = LoadLikeParser();
  ASSERT_TRUE(p.Parse({"db", "--count", "abc", "--fraction", "1.5"}).ok());
  uint64_t count;
  EXPECT_EQ(p.GetSize("--count", 0, &count).message(), "--count: 'abc' is not a number");
  double f;
  EXPECT_EQ(p.GetFraction("--fraction", 0, &f).message(),
            "--fraction: '1.5' is not between 0 and 1");
}

TEST(ArgParserTest, ParseErrorsNameTheOptionOrTheShape) {
  {
    ArgParser p = LoadLikeParser();
    EXPECT_EQ(p.Parse({"db", "--bogus"}).message(), "--bogus: unknown option");
  }
  {
    ArgParser p = LoadLikeParser();
    EXPECT_EQ(p.Parse({"db", "-x"}).message(), "-x: unknown option");
  }
  {
    ArgParser p = LoadLikeParser();
    EXPECT_EQ(p.Parse({"db", "--count"}).message(), "--count: needs a value (N)");
  }
  {
    ArgParser p = LoadLikeParser();
    EXPECT_EQ(p.Parse({"db", "--keys-only=yes"}).message(), "--keys-only: takes no value");
  }
  {
    ArgParser p = LoadLikeParser();
    EXPECT_EQ(p.Parse({}).message(), "expected DB, got no arguments");
  }
  {
    ArgParser p = LoadLikeParser();
    EXPECT_EQ(p.Parse({"a", "b", "c"}).message(), "expected DB, got 3 arguments");
  }
}

TEST(ArgParserTest, HelpAnywhereWinsOverErrors) {
  ArgParser p = LoadLikeParser();
  ASSERT_TRUE(p.Parse({"--bogus", "--help"}).ok());
  EXPECT_TRUE(p.help_requested());
  const std::string help = p.Help();
  EXPECT_NE(help.find("usage: lode load [options] DB"), std::string::npos) << help;
  EXPECT_NE(help.find("--count N"), std::string::npos);
  EXPECT_NE(help.find("--keys-only"), std::string::npos);
  EXPECT_NE(help.find("--help"), std::string::npos);
}

TEST(ArgParserTest, DoubleDashEndsOptions) {
  ArgParser p = LoadLikeParser();
  ASSERT_TRUE(p.Parse({"db", "--", "--help"}).ok());
  EXPECT_FALSE(p.help_requested());
  EXPECT_EQ(p.positionals(), (std::vector<std::string>{"db", "--help"}));
}

}  // namespace
}  // namespace lode::tool
