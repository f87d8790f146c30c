// `finwave quiz`: the lessons' questions in the terminal, with the answers
// the engine computes, for practice without a browser; `--practice` adds
// generated exercises and a spaced-review schedule kept in a progress file.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace finwave {

int cmd_quiz(const std::vector<std::string>& args, std::istream& in, std::ostream& out);

struct PracticeOptions {
    std::uint64_t count = 10;
    std::uint64_t seed = 1;
    bool seed_given = false;
    int level = 0;  // 0: each seed picks
};
// Takes --count, --seed and --level out of `args`; the others go to `rest`.
std::optional<PracticeOptions> parse_practice_options(const std::vector<std::string>& args, std::vector<std::string>& rest,
                                                      std::string& error);

struct Question;
class Simulation;
namespace i18n {
class Words;
}
// One lesson question in the terminal: true when answered right, nothing
// when the input ended first.
std::optional<bool> ask_lesson_question(const Question& q, const std::optional<Simulation>& sim, const i18n::Words& w,
                                        std::istream& in, std::ostream& out);

namespace practice {
struct Exercise;
}
// A generated exercise as the learner sees it before answering: the story,
// the knobs, the ladder up to the moment, the question and its choices.
void show_generated(const practice::Exercise& ex, const i18n::Words& w, std::ostream& out);

int cmd_quiz_practice(const std::vector<std::string>& args, std::istream& in, std::ostream& out);
int cmd_practice(const std::vector<std::string>& args, std::ostream& out);

}  // namespace finwave
