#include <doctest/doctest.h>

#include <algorithm>

#include "helpers.hpp"
#include "progress.hpp"
#include "startup.hpp"

using namespace finwave::web;

TEST_CASE("progress: saved and loaded unchanged") {
    Progress p;
    p.lessons["states-step-by-step"]["gate-2017"] = {true, false, 2};
    const ProgressLoad back = load_progress(p.to_json());
    CHECK_FALSE(back.discarded_because);
    CHECK(back.progress == p);
}

TEST_CASE("progress: corrupted or foreign state is discarded with a reason") {
    CHECK_FALSE(load_progress("").discarded_because);
    for (const char* bad : {"{", "[]", "42", R"({"format":"other","version":1,"lessons":{}})",
                            R"({"format":"finwave-progress","version":2,"lessons":{}})",
                            R"({"format":"finwave-progress","version":"1","lessons":{}})",
                            R"({"format":"finwave-progress","version":1,"lessons":[]})",
                            R"({"format":"finwave-progress","version":1,"lessons":{"a":{"q":{"correct":"yes","first_try":true,"attempts":1}}}})",
                            R"({"format":"finwave-progress","version":1,"lessons":{"a":{"q":{"correct":true,"first_try":true,"attempts":-5}}}})",
                            "\xff\xfe garbage"}) {
        CAPTURE(bad);
        const ProgressLoad l = load_progress(bad);
        CHECK(l.discarded_because);
        CHECK(l.progress.lessons.empty());
    }
}

TEST_CASE("startup: malformed URL parameters become notices, never failures") {
    Tutor t(test::repo_catalog(), builtin_strings());
    start(t, {"?lang=xx&lesson=nope&step=abc", "", "{broken", "en-GB"});
    CHECK(t.lang() == Lang::En);
    REQUIRE(t.lesson());
    CHECK(t.lesson_id() == t.catalog().entries().front().id);
    CHECK(t.step_index() == 0);
    std::vector<std::string> keys;
    for (const auto& n : t.notices()) keys.push_back(n.key);
    CHECK(std::find(keys.begin(), keys.end(), "notice.bad_lang") != keys.end());
    CHECK(std::find(keys.begin(), keys.end(), "notice.unknown_lesson") != keys.end());
    CHECK(std::find(keys.begin(), keys.end(), "notice.progress_discarded") != keys.end());
    // step=abc is about the lesson that was asked for; it was not found, so
    // the step is checked against the first lesson instead.
    CHECK(std::find(keys.begin(), keys.end(), "notice.bad_step") != keys.end());
}

TEST_CASE("startup: URL, then saved language, then the browser's") {
    {
        Tutor t(test::repo_catalog(), builtin_strings());
        start(t, {"?lang=zh&lesson=states-step-by-step&step=2", "en", "", "en"});
        CHECK(t.lang() == Lang::Zh);
        CHECK(t.lesson_id() == "states-step-by-step");
        CHECK(t.step_index() == 1);
        CHECK(t.notices().empty());
        CHECK(location_query(t) == "?lang=zh&lesson=states-step-by-step&step=2");
    }
    {
        Tutor t(test::repo_catalog(), builtin_strings());
        start(t, {"", "zh", "", "en"});
        CHECK(t.lang() == Lang::Zh);
    }
    {
        Tutor t(test::repo_catalog(), builtin_strings());
        start(t, {"", "", "", "zh-CN"});
        CHECK(t.lang() == Lang::Zh);
    }
    {
        Tutor t(test::repo_catalog(), builtin_strings());
        start(t, {"?lesson=rst-linger-zero&step=9", "", "", ""});
        CHECK(t.in_sandbox());
        CHECK(t.sandbox_scenario() == "rst-linger-zero");
    }
}

TEST_CASE("startup: query strings are percent-decoded") {
    const UrlParams p = parse_query("?lang=z%68&lesson=a+b&other=1&step");
    CHECK(p.lang == "zh");
    CHECK(p.lesson == "a b");
    CHECK(p.step == "");
}
