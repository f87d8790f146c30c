// A lesson file (Markdown with scenario, play and question blocks), as
// `finwave lessons check` and the app read it. A lesson that parses is also
// opened at every step, as the player does (bounded by the steps' count).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "fail.hpp"
#include "finwave/lesson.hpp"

using namespace finwave;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = parse_lesson(text, "en/fuzz.md", "en");
    if (auto* error = std::get_if<LessonError>(&parsed)) {
        if (error->message.empty() || error->line < 0) fuzz::fail("lesson error without a message: " + error->to_string());
        return 0;
    }
    const Lesson& lesson = std::get<Lesson>(parsed);
    // Opening steps runs their scenarios; a few are enough to reach every
    // kind of block without letting one input take seconds.
    for (std::size_t i = 0; i < lesson.steps.size() && i < 4; ++i) {
        auto sim = simulation_for_step(lesson, i);
        if (sim && !sim->problems().empty()) fuzz::fail("engine invariant broken: " + sim->problems().front());
    }
    return 0;
}
