// Where the app opens: the page's URL (?lang=zh&lesson=ID&step=N, step from
// 1), then what was saved, then the browser's language. Anything in the URL
// that cannot be honoured becomes a notice, never a failure.
//
// The URL's parameters (docs/embedding.md):
//   lang=en|zh              the language
//   lesson=ID  step=N       a lesson, and a step of it from 1
//   mode=lesson|quiz|sandbox  the whole lesson; its questions only; free play
//   scenario=NAME           free play with a built-in scenario
//   profile=linux|rfc       what Linux does, or RFC 9293 read literally
//   embed=1                 the compact layout for a small frame
//   practice=SEED level=1|2|3  the generated exercise of SEED, as
//                           `finwave practice --seed SEED --level L` prints it
// Any other parameter belongs to the page (web/page/*.js): the app keeps it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tutor.hpp"

namespace finwave::web {

struct UrlParams {
    std::optional<std::string> lang, lesson, step;
    std::optional<std::string> mode, profile, scenario, embed, question, practice, level;
};
// A query string with or without its '?'; percent-escapes and '+' decoded.
UrlParams parse_query(std::string_view query);

struct StartOptions {
    std::string query;           // location.search
    std::string saved_lang;      // localStorage
    std::string saved_progress;  // localStorage
    std::string browser_lang;    // navigator.language, e.g. "zh-CN"
};

void start(Tutor& tutor, const StartOptions& options);

// The query string that reopens what the tutor shows now, in the form the
// app itself reads (the page's own parameters are not in it).
std::string location_query(const Tutor& tutor);

// Free play opens this scenario when none is named.
inline constexpr std::string_view kDefaultScenario = "four-way-close";

}  // namespace finwave::web
