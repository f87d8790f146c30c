// Shared by the generator's parts: the story a seed draws, and the words.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "finwave/practice.hpp"
#include "finwave/rng.hpp"
#include "finwave/ui_strings.hpp"

namespace finwave::practice::detail {

using Wording = std::function<std::string(const i18n::Words&)>;

// One sentence in both languages from the string tables.
Text both(const Wording& f);
// "client" / "客户端"
std::string side_word(Side s, const i18n::Words& w);

struct FaultPlan {
    std::string line;  // "drop client FIN #1-2"
    int count = 1;     // how many segments it must have lost (0: every one, at least 2)
};

struct Story {
    Template tmpl = Template::Close;
    Profile profile = Profile::Linux;
    Side closer = Side::Client;
    std::string rst_case;  // Rst: the case the story is built for
    std::vector<std::string> lines;          // the scenario's statements after the header
    std::vector<std::pair<std::string, std::string>> set;  // knobs set, in order
    std::vector<FaultPlan> faults;
    std::vector<Wording> facts;
};

Story draw_story(Rng& r, Template t, int level);
// The scenario text of a story (header, knobs, statements).
std::string scenario_text(const Story& s, std::uint64_t seed, int level);
// Knobs to show with their values: the close-related ones, and every one the story sets.
std::vector<std::string> shown_knobs(const Story& s, const Knobs& k);

// Fills in the question; false when the story has no moment for this kind.
bool make_question(Exercise& ex, const Story& story, const Simulation& sim, Kind kind, Rng& r);
bool field_question(Exercise& ex, const Story& story, const Simulation& sim, Rng& r);
bool timing_question(Exercise& ex, const Story& story, const Simulation& sim, Kind kind, Rng& r);
bool rst_question(Exercise& ex, const Story& story, const Simulation& sim, Rng& r);

// Helpers the question files share.
std::vector<Choice> make_time_choices(std::int64_t answer, const std::vector<std::int64_t>& wrong, Rng& r);
const TraceEvent* close_call(const Simulation& sim);  // the first close(), shutdown(), abort or crash
std::string why_segment(const Simulation& sim, const Deciding& d, Instant t, const i18n::Words& w);
// The RST case of the RST that trace event `rst` (a Send) is, or "".
std::string rst_case_of(const Simulation& sim, const TraceEvent& rst);

}  // namespace finwave::practice::detail
