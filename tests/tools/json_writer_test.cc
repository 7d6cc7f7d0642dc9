#include "lib/util/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/tools/mini_json.h"

namespace lode {
namespace {

TEST(JsonQuoteTest, EscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonQuote("\n\t\r\b\f"), "\"\\n\\t\\r\\b\\f\"");
  EXPECT_EQ(JsonQuote(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\\u007f\"");
}

TEST(JsonQuoteTest, KeepsValidUtf8AndEscapesInvalidBytes) {
  EXPECT_EQ(JsonQuote("h\xc3\xa9llo \xe2\x82\xac"), "\"h\xc3\xa9llo \xe2\x82\xac\"");
  // A lone continuation byte, a truncated sequence, an overlong form.
  EXPECT_EQ(JsonQuote("\x80"), "\"\\u0080\"");
  EXPECT_EQ(JsonQuote("\xe2\x82"), "\"\\u00e2\\u0082\"");
  EXPECT_EQ(JsonQuote("\xc0\xaf"), "\"\\u00c0\\u00af\"");
}

TEST(JsonWriterTest, CompactDocumentIsExact) {
  JsonWriter w(0);
  w.BeginObject();
  w.Key("a");
  w.Uint(1);
  w.Key("b");
  w.BeginArray();
  w.Int(-2);
  w.Bool(true);
  w.Null();
  w.String("x");
  w.EndArray();
  w.Key("c");
  w.BeginObject();
  w.EndObject();
  w.Key("d");
  w.BeginArray();
  w.EndArray();
  w.EndObject();
  EXPECT_EQ(w.str(), "{\"a\":1,\"b\":[-2,true,null,\"x\"],\"c\":{},\"d\":[]}");
}

TEST(JsonWriterTest, PrettyDocumentParsesBackWithSameValues) {
  JsonWriter w(2);
  w.BeginObject();
  w.Key("big");
  w.Uint(UINT64_MAX);
  w.Key("ratio");
  w.Double(0.1);
  w.Key("whole");
  w.Double(3);
  w.Key("tiny");
  w.Double(1e-300);
  w.Key("key \"quoted\"");
  w.String(std::string("bin\x00\xff", 5));
  w.Key("list");
  w.BeginArray();
  w.BeginObject();
  w.Key("n");
  w.Int(-7);
  w.EndObject();
  w.EndArray();
  w.EndObject();

  test::JsonValue v;
  std::string error;
  ASSERT_TRUE(test::JsonParser::Parse(w.str(), &v, &error)) << error << "\n" << w.str();
  EXPECT_EQ(v["big"].text, "18446744073709551615");
  EXPECT_EQ(v["ratio"].number(), 0.1) << "shortest round-trip text";
  EXPECT_EQ(v["whole"].number(), 3.0);
  EXPECT_EQ(v["tiny"].number(), 1e-300);
  EXPECT_EQ(v["key \"quoted\""].text, std::string("bin\x00\xff", 5));
  EXPECT_EQ(v["list"].array.at(0)["n"].text, "-7");
  EXPECT_NE(w.str().find("\n  \"big\": 18446744073709551615,"), std::string::npos) << w.str();
}

TEST(JsonWriterTest, NonFiniteDoublesBecomeNull) {
  JsonWriter w(0);
  w.BeginArray();
  w.Double(std::numeric_limits<double>::infinity());
  w.Double(std::nan(""));
  w.EndArray();
  EXPECT_EQ(w.str(), "[null,null]");
}

}  // namespace
}  // namespace lode

namespace lode {
namespace {

TEST(JsonWriterTest, CompactArrayStaysOnOneLineInPrettyOutput) {
  JsonWriter w(2);
  w.BeginObject();
  w.Key("levels");
  w.BeginArray(/*compact=*/true);
  w.Int(1);
  w.Int(0);
  w.Int(2);
  w.EndArray();
  w.Key("none");
  w.BeginArray(/*compact=*/true);
  w.EndArray();
  w.EndObject();
  EXPECT_EQ(w.str(), "{\n  \"levels\": [1, 0, 2],\n  \"none\": []\n}");
}

}  // namespace
}  // namespace lode
