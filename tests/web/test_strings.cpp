#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "finwave/endpoint.hpp"
#include "helpers.hpp"
#include "text.hpp"

using namespace finwave::web;

// Both tables parse and hold the same keys: tests/strings/test_tables.cpp.

TEST_CASE("strings: every key the app's code asks for exists") {
    // tr("key") and trf("key", ...) in web/*.cpp and web/model/*.cpp; error
    // keys returned by the model are listed the same way.
    const std::regex call(R"re(\btrf?\("([a-z0-9_.]+)")re");
    const std::regex returned(R"re(return "((?:error|notice)\.[a-z0-9_]+)")re");
    const std::regex noticed(R"re("(notice\.[a-z0-9_]+)")re");
    std::set<std::string> used;
    for (const char* dir : {"web", "web/model"}) {
        for (const auto& f : std::filesystem::directory_iterator(std::filesystem::path(FINWAVE_REPO_ROOT) / dir)) {
            if (f.path().extension() != ".cpp") continue;
            const std::string text = test::read_file(f.path());
            for (const std::regex* re : {&call, &returned, &noticed})
                for (std::sregex_iterator it(text.begin(), text.end(), *re), end; it != end; ++it) used.insert((*it)[1]);
        }
    }
    CHECK(used.size() > 100);
    for (const auto& k : used) {
        if (k.back() == '.') continue;  // a prefix completed at run time: checked below
        CHECK_MESSAGE(builtin_strings().has(Lang::En, k), "strings/en.txt lacks '" << k << "'");
    }
    // Keys made from the engine's names: every state and every timer.
    for (int s = 0; s < finwave::kStateCount; ++s) {
        const std::string key = std::string("state.") + finwave::to_string(static_cast<finwave::State>(s));
        CHECK_MESSAGE(builtin_strings().has(Lang::En, key), "strings/en.txt lacks '" << key << "'");
    }
    for (int k = 0; k < finwave::kTimerCount; ++k) {
        const std::string key = std::string("timer.") + finwave::to_string(static_cast<finwave::TimerKind>(k));
        CHECK_MESSAGE(builtin_strings().has(Lang::En, key), "strings/en.txt lacks '" << key << "'");
    }
}

TEST_CASE("strings: a missing key falls back to English, then to the key") {
    UiStrings s;
    s.load(Lang::En, "a.b = Hello {0}\n", "en");
    CHECK(s.get(Lang::Zh, "a.b") == "Hello {0}");
    CHECK(s.get(Lang::Zh, "x.y") == "x.y");
    CHECK(format_text(s.get(Lang::En, "a.b"), {"you"}) == "Hello you");
    CHECK_FALSE(s.load(Lang::En, "no equals sign\n", "en").empty());
}

TEST_CASE("text: Chinese line-breaking rules: what may not start or end a line") {
    for (char32_t c : {U'。', U'，', U'、', U'；', U'：', U'？', U'！', U'）', U'」'}) CHECK(no_break_before(c));
    for (char32_t c : {U'（', U'「'}) {
        CHECK(no_break_after(c));
        CHECK_FALSE(no_break_before(c));
    }
    CHECK_FALSE(no_break_after(U'中'));
}
