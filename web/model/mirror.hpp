// The accessible mirror of what the canvas shows. A canvas is one opaque
// picture to a screen reader and to keyboard-only navigation of the page, so
// the page keeps a DOM copy of what matters (web/page/a11y.js builds it from
// this JSON): the lesson's text, both sides' states and every change of
// state, and the questions with real answer controls, which send the same
// commands as the canvas (web/model/controller.cpp).
//
// Two parts that change at different rates: the document (lesson, step,
// questions, notices; changes when the learner moves or answers) and the
// live part (the simulation; changes with every event while it plays). Each
// has a key that changes whenever its JSON would, so that the page is sent
// a part only when it changed.
#pragma once

#include <string>
#include <string_view>

#include "tutor.hpp"

namespace finwave::web {

std::string mirror_doc_key(const Tutor& t);
std::string mirror_doc_json(const Tutor& t);
std::string mirror_live_key(const Tutor& t);
std::string mirror_live_json(const Tutor& t);
}  // namespace finwave::web

#include <nlohmann/json.hpp>

namespace finwave::web {
// What the views withhold until an open question is answered, and why Play
// stopped: {"client_state", "server_state", "client_timers",
// "server_timers", "fields": [{"id", "field"}], "gate", "held_by"}.
nlohmann::json mirror_hidden_json(const Tutor& t);

// Lesson Markdown as HTML for the DOM: every character of the source is
// escaped, links only to http(s). Headings start at <h4>: the page's own
// headings are the app (h1), the lesson (h2) and the step (h3).
std::string markdown_html(std::string_view markdown);
std::string inline_html(std::string_view text);
// Inline Markdown as the words alone, e.g. for an xAPI activity's name.
std::string inline_plain(std::string_view text);

}  // namespace finwave::web
