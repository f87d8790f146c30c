// A seed -> a story the engine can run -> a question about its trace.
#include <cstdio>
#include <stdexcept>

#include "finwave/ui_strings.hpp"

#include "internal.hpp"

namespace finwave::practice {

using namespace detail;

const char* to_string(Kind k) {
    switch (k) {
        case Kind::NextState: return "next-state";
        case Kind::StateAt: return "state-at";
        case Kind::Field: return "field";
        case Kind::RetransmitTime: return "retransmit-time";
        case Kind::GiveUpTime: return "give-up-time";
        case Kind::ClosedTime: return "closed-time";
        case Kind::RstCase: return "rst-case";
        case Kind::kCount: break;
    }
    return "?";
}

const char* to_string(Template t) {
    switch (t) {
        case Template::Close: return "close";
        case Template::Lost: return "lost";
        case Template::FinWait2: return "fin-wait-2";
        case Template::Orphan: return "orphan";
        case Template::Rst: return "rst";
        case Template::Simultaneous: return "simultaneous";
        case Template::kCount: break;
    }
    return "?";
}

std::string format_seconds(std::int64_t us) {
    char buf[48];
    if (us % 1000 == 0) std::snprintf(buf, sizeof buf, "%lld.%03lld s", static_cast<long long>(us / 1000000), static_cast<long long>(us / 1000 % 1000));
    else std::snprintf(buf, sizeof buf, "%lld.%06lld s", static_cast<long long>(us / 1000000), static_cast<long long>(us % 1000000));
    return buf;
}

namespace {

std::optional<Simulation> run_text(const std::string& text, const std::string& name) {
    auto parsed = parse_scenario(text, name);
    if (!std::holds_alternative<Scenario>(parsed)) return std::nullopt;
    const Scenario& sc = std::get<Scenario>(parsed);
    auto knobs = resolve_knobs(sc, sc.profile.value_or(Profile::Linux), {});
    if (!std::holds_alternative<Knobs>(knobs)) return std::nullopt;
    Simulation sim(sc, std::get<Knobs>(knobs), sc.seed.value_or(1));
    sim.run();
    return sim;
}

int line_of(const std::string& text, const std::string& line) {
    int n = 1;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = text.find('\n', at);
        if (text.compare(at, end - at, line) == 0) return n;
        if (end == std::string::npos) break;
        at = end + 1;
        ++n;
    }
    return 0;
}

// The story happened as its facts say: every fault lost what it claims, the
// run ended by itself, and an RST story's RST is of its case.
bool story_holds(const Story& s, const std::string& text, const Simulation& sim) {
    if (!sim.problems().empty() || !sim.script_errors().empty() || sim.hit_bound()) return false;
    for (const auto& f : s.faults) {
        const int line = line_of(text, f.line);
        int lost = 0;
        for (const auto& e : sim.trace())
            if (e.kind == EventKind::Drop && e.fault_line == line) ++lost;
        if (f.count == 0 ? lost < 2 : lost != f.count) return false;
    }
    return true;
}

std::vector<Kind> kinds_for(Template t) {
    switch (t) {
        case Template::Close: return {Kind::NextState, Kind::StateAt, Kind::Field, Kind::ClosedTime};
        case Template::Lost: return {Kind::NextState, Kind::StateAt, Kind::Field, Kind::ClosedTime, Kind::RetransmitTime};
        case Template::FinWait2: return {Kind::NextState, Kind::StateAt};
        case Template::Orphan: return {Kind::RetransmitTime, Kind::GiveUpTime, Kind::StateAt};
        case Template::Rst: return {Kind::RstCase, Kind::RstCase, Kind::NextState, Kind::Field};
        case Template::Simultaneous: return {Kind::NextState, Kind::StateAt, Kind::ClosedTime, Kind::Field};
        case Template::kCount: break;
    }
    return {};
}

// Level 3: the same story under the other profile. Where its answer
// differs, that answer becomes one of the wrong choices (a learner who
// knows only the textbook, or only Linux, picks it) and the explanation
// says so.
void contrast_profiles(Exercise& ex) {
    if (ex.level != 3 || !ex.t || (ex.kind != Kind::StateAt && ex.kind != Kind::ClosedTime)) return;
    const Profile other = ex.profile == Profile::Linux ? Profile::Rfc : Profile::Linux;
    std::string text = ex.scenario;
    const std::string from = std::string("\nprofile ") + to_string(ex.profile) + "\n";
    const auto at = text.find(from);
    if (at == std::string::npos) return;
    text.replace(at, from.size(), std::string("\nprofile ") + to_string(other) + "\n");
    auto sim = run_text(text, "practice-other");
    if (!sim || !sim->problems().empty() || !sim->script_errors().empty() || sim->hit_bound()) return;
    std::optional<std::string> alt;
    std::string alt_text;
    if (ex.kind == Kind::StateAt) {
        State now = State::Closed;
        for (const auto& e : sim->trace())
            if (e.kind == EventKind::State && e.side == ex.side && e.t <= *ex.t) now = e.to;
        alt = to_string(now);
        alt_text = *alt;
    } else {
        if (sim->endpoint(Side::Client).state() != State::Closed || sim->endpoint(Side::Server).state() != State::Closed) return;
        Instant last{};
        for (const auto& e : sim->trace())
            if (e.kind == EventKind::State && e.to == State::Closed) last = e.t;
        if (last <= *ex.t) return;
        alt = std::to_string((last - *ex.t).us);
        alt_text = format_seconds((last - *ex.t).us);
    }
    if (!alt || *alt == ex.answer) return;
    bool present = false;
    for (const auto& c : ex.choices) present = present || c.value == *alt;
    if (!present)
        for (auto it = ex.choices.rbegin(); it != ex.choices.rend(); ++it)
            if (it->value != ex.answer) {
                *it = {*alt, {alt_text, alt_text}};
                break;
            }
    const Text extra = both([&](const i18n::Words& w) { return w("practice.why.other_profile", {to_string(other), alt_text}); });
    ex.why.en += " " + extra.en;
    ex.why.zh += extra.zh;
}

}  // namespace

Simulation simulate(const Exercise& ex) {
    auto sim = run_text(ex.scenario, "practice-" + std::to_string(ex.seed) + ".scenario");
    if (!sim) throw std::logic_error("a generated scenario does not run");
    return std::move(*sim);
}

Exercise generate(std::uint64_t seed, int level) {
    Rng r(seed);
    if (level < 1 || level > 3) level = 1 + static_cast<int>(r.below(3));
    // Draws until a story holds and has a moment for the question; a few
    // draws are almost always enough, the bound keeps it finite.
    for (int attempt = 0; attempt < 1000; ++attempt) {
        const auto t = static_cast<Template>(r.below(static_cast<std::uint32_t>(Template::kCount)));
        Story story = draw_story(r, t, level);
        Exercise ex;
        ex.seed = seed;
        ex.level = level;
        ex.story_template = t;
        ex.profile = story.profile;
        ex.scenario = scenario_text(story, seed, level);
        auto sim = run_text(ex.scenario, "practice");
        if (!sim || !story_holds(story, ex.scenario, *sim)) continue;
        const auto kinds = kinds_for(t);
        const Kind kind = kinds[r.below(static_cast<std::uint32_t>(kinds.size()))];
        if (!make_question(ex, story, *sim, kind, r)) continue;
        contrast_profiles(ex);
        for (const auto& f : story.facts) ex.story.push_back(both(f));
        ex.knobs = shown_knobs(story, sim->knobs());
        return ex;
    }
    throw std::logic_error("no exercise for seed " + std::to_string(seed));
}

}  // namespace finwave::practice
