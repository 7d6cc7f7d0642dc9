#include "table/function_ref.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace lode {
namespace {

int CallTwice(FunctionRef<int(int)> f) { return f(1) + f(2); }

int Triple(int x) { return 3 * x; }

TEST(FunctionRefTest, CallsALambdaWithCapturesByReference) {
  int calls = 0;
  std::string seen;
  const int sum = CallTwice([&](int x) {
    calls++;
    seen += std::to_string(x);
    return x * 10;
  });
  EXPECT_EQ(30, sum);
  EXPECT_EQ(2, calls);
  EXPECT_EQ("12", seen);
}

TEST(FunctionRefTest, CallsAPlainFunctionAndAStdFunction) {
  EXPECT_EQ(9, CallTwice(&Triple));
  std::function<int(int)> f = [](int x) { return x - 1; };
  EXPECT_EQ(1, CallTwice(f));
}

TEST(FunctionRefTest, MutableStateOfTheCallableIsShared) {
  struct Counter {
    int n = 0;
    int operator()(int x) { return n += x; }
  } counter;
  CallTwice(counter);
  EXPECT_EQ(3, counter.n);  // the FunctionRef called counter itself, not a copy
}

TEST(FunctionRefTest, CopyRefersToTheSameCallable) {
  int calls = 0;
  auto lambda = [&](int) {
    calls++;
    return 0;
  };
  FunctionRef<int(int)> a(lambda);
  FunctionRef<int(int)> b = a;
  a(0);
  b(0);
  EXPECT_EQ(2, calls);
}

}  // namespace
}  // namespace lode
