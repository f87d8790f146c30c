// What the page around the app (web/page/host.js) learns from it, polled
// once per frame through window.finwave.command("host-poll"): the learner's
// answers as they happen (for xAPI statements to an embedding page and for
// a SCORM LMS), the accessible mirror when it changed (mirror.hpp), and the
// height the content would like (so that a host can size its iframe).
//
// One JSON object with only what changed since the last poll:
//   {"events": [...], "doc": {...}, "live": {...}, "height": 640}
// An event is
//   {"type": "answered", "lang", "lesson", "lesson_title", "question",
//    "kind", "prompt", "choices": [{"id": "A", "text"}], "response",
//    "correct", "attempts", "score": {"lesson": [right, total],
//    "course": [right, total]}}
// or {"type": "completed", "lang", "lesson", "lesson_title", "score"}
// when every question of a lesson has been answered right.
#pragma once

#include <string>

#include "tutor.hpp"

namespace finwave::web {

std::string learner_event_json(const Tutor& t, const LearnerEvent& e);

class HostFeed {
public:
    // `preferred_height`: CSS pixels the content would like; 0 when unknown.
    std::string poll(Tutor& t, int preferred_height);

private:
    std::string doc_key_;
    std::string live_key_;
    int height_ = 0;
};

}  // namespace finwave::web
