// Where the app opens: the page's URL (?lang=zh&lesson=ID&step=N, step from
// 1), then what was saved, then the browser's language. Anything in the URL
// that cannot be honoured becomes a notice, never a failure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tutor.hpp"

namespace finwave::web {

struct UrlParams {
    std::optional<std::string> lang, lesson, step;
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

// The query string that reopens what the tutor shows now.
std::string location_query(const Tutor& tutor);

}  // namespace finwave::web
