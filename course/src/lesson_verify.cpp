// What `finwave lessons check` verifies: each lesson on its own, and the two
// languages of a lesson against each other.
#include "finwave/lesson.hpp"

namespace finwave {

namespace {

std::string describe_directive(const PlayDirective& d) {
    switch (d.kind) {
        case PlayDirective::Kind::UntilEnd: return "end";
        case PlayDirective::Kind::UntilTime: return format_duration(d.time);
        case PlayDirective::Kind::UntilState: return std::string(to_string(d.side)) + " " + to_string(d.state);
        case PlayDirective::Kind::UntilEof: return std::string(to_string(d.side)) + " eof";
    }
    return "?";
}

// Does the step's text ask the learner to press Play? (The button's name in
// either language, as the lessons write it.)
bool asks_for_play(const std::string& markdown) {
    for (const char* words : {"*Play*", "Press Play", "press Play", "\nPlay to ", "*播放*", "点击播放", "按播放"})
        if (("\n" + markdown).find(words) != std::string::npos) return true;
    return false;
}

std::size_t sends_in(const Simulation& sim) {
    std::size_t n = 0;
    for (const auto& e : sim.trace()) n += e.kind == EventKind::Send;
    return n;
}

// What a learner would trip on in the way the step moves: where it opens,
// where its Play stops, and what its predictions are about. `start` is the
// step's simulation where it opens.
std::vector<std::pair<int, std::string>> check_step_flow(const Lesson& lesson, std::size_t i, const Simulation& start) {
    std::vector<std::pair<int, std::string>> out;
    const Step& step = lesson.steps[i];
    // `from` lines: each must move the run (checked on the run before it).
    if (!step.open.empty()) {
        auto before = i > 0 && !step.scenario ? simulation_at_step_end(lesson, i - 1) : std::nullopt;
        if (step.scenario) {
            auto knobs = resolve_knobs(*step.scenario, step.scenario->profile.value_or(Profile::Linux), {});
            if (auto* k = std::get_if<Knobs>(&knobs)) before.emplace(*step.scenario, *k, step.scenario->seed.value_or(1));
        }
        if (before) {
            for (const auto& d : step.open) {
                if (play_done(*before, d))
                    out.push_back({d.line, "'from " + describe_directive(d) + "' is already true where the step would start: it does nothing"});
                play(*before, d);
            }
        }
    }
    Simulation end = start;
    for (const auto& d : step.play) {
        if (play_done(end, d))
            out.push_back({d.line, "'until " + describe_directive(d) + "' is already true where the step starts: Play has nothing to run to"});
        play(end, d);
    }
    if (sends_in(start) == 0 && start.in_flight().empty())
        out.push_back({step.line, "the step opens on an empty ladder (nothing has been sent yet): open it where there is something to see, e.g. with 'from client SYN-SENT'"});
    if (asks_for_play(step.markdown) && end.trace().size() == start.trace().size() && end.now() == start.now())
        out.push_back({step.line, "the text asks the learner to press Play, but nothing is left to play in this step (add an 'until' line, or open the step earlier)"});
    for (const auto& q : step.questions) {
        if ((q.kind != QuestionKind::Predict && q.kind != QuestionKind::Lost) || q.check.empty()) continue;
        const CheckResult r = evaluate_check(start, q.check, &q);
        if (!r.value) continue;  // reported with the answers
        const auto verb = words_of(q.check).front();
        // Checks about one moment: that moment must still be ahead.
        if (verb != "end-state" && verb != "time" && verb != "segment" && verb != "first-retransmit") continue;
        if (*r.value == "never" || *r.value == "none") continue;
        // "It stays where it is" is a fair prediction: only the run's end shows it.
        if (verb == "end-state") {
            const auto w = words_of(q.check);
            const auto side = w.size() == 2 ? parse_side(w[1]) : std::nullopt;
            const auto st = parse_state(*r.value);
            if (side && st && start.endpoint(*side).state() == *st) continue;
        }
        Simulation whole = start;
        whole.run();
        bool ahead = false, behind = false;
        for (std::size_t k = 0; k < whole.trace().size(); ++k) {
            if (!event_reveals(q, *r.value, whole.trace()[k])) continue;
            (k < start.trace().size() ? behind : ahead) = true;
        }
        if (behind && !ahead)
            out.push_back({q.line, "predict question '" + q.id + "': what it asks about has already happened when the step opens"});
    }
    return out;
}

}  // namespace

std::vector<std::string> verify_lesson(const Lesson& lesson) {
    std::vector<std::string> problems;
    auto at = [&](int line, const std::string& msg) { problems.push_back(lesson.file + ":" + std::to_string(line) + ": " + msg); };
    for (std::size_t i = 0; i < lesson.steps.size(); ++i) {
        const Step& step = lesson.steps[i];
        if (step.scenario) {
            auto knobs = resolve_knobs(*step.scenario, step.scenario->profile.value_or(Profile::Linux), {});
            if (auto* e = std::get_if<std::string>(&knobs)) {
                at(step.line, *e);
                continue;
            }
        }
        auto sim = simulation_for_step(lesson, i);
        if (!sim) {
            if (!step.play.empty() || !step.open.empty())
                at((step.open.empty() ? step.play : step.open).front().line, "a play block needs a scenario in this step or an earlier one");
            for (const auto& q : step.questions)
                if (!q.check.empty()) at(q.line, "question '" + q.id + "' has a check but no scenario to run it on");
            continue;
        }
        if (step.scenario) {
            Simulation whole = *sim;
            whole.run();
            for (const auto& p : whole.problems()) at(step.line, "the scenario breaks an engine invariant: " + p);
            for (const auto& e : whole.script_errors()) problems.push_back(e);
            if (whole.hit_bound()) at(step.line, "the scenario does not settle within the simulator's bounds");
        }
        for (auto& p : check_step_flow(lesson, i, *sim)) at(p.first, p.second);
        for (const auto& q : step.questions) {
            if (q.check.empty()) continue;
            const CheckResult r = evaluate_check(*sim, q.check, &q);
            if (!r.error.empty()) {
                at(q.line, "question '" + q.id + "': " + r.error);
                continue;
            }
            const std::string& v = *r.value;
            if (q.kind == QuestionKind::Field) {
                if (std::to_string(*q.answer_number) != v)
                    at(q.line, "question '" + q.id + "': the answer is " + std::to_string(*q.answer_number) + " but the engine says " + v);
            } else if (q.kind == QuestionKind::Order) {
                if (v != "in order") at(q.line, "question '" + q.id + "': the items are not in the order the engine sends them: " + v);
            } else {
                const Choice& right = q.choices[static_cast<std::size_t>(q.answer_index)];
                if (!choice_matches(right, v))
                    at(q.line, "question '" + q.id + "': the answer is '" + right.value + "' but the engine says '" + v + "'");
                for (std::size_t c = 0; c < q.choices.size(); ++c)
                    if (static_cast<int>(c) != q.answer_index && choice_matches(q.choices[c], v))
                        at(q.line, "question '" + q.id + "': choice '" + q.choices[c].text + "' also matches the engine's answer");
            }
        }
    }
    return problems;
}

namespace {

// What a simulation does, without the words around it: two translations of a
// step must run the same simulation.
std::string scenario_fingerprint(const Scenario& sc) {
    std::string out = sc.profile ? to_string(*sc.profile) : "-";
    for (const auto& k : sc.knobs) out += "|set " + k.name + "=" + k.value;
    for (const auto& c : sc.calls) out += "|at " + std::to_string(c.at.us) + " " + to_string(c.side) + " " + describe(c.call);
    for (const auto& t : sc.triggers) out += "|" + describe(t);
    for (const auto& f : sc.faults) out += "|" + describe(f);
    out += "|loss " + std::to_string(sc.loss) + (sc.loss_until ? " " + std::to_string(sc.loss_until->us) : "");
    out += "|until " + (sc.until ? std::to_string(sc.until->us) : std::string("-"));
    out += "|seed " + (sc.seed ? std::to_string(*sc.seed) : std::string("-"));
    return out;
}

std::string play_fingerprint(const std::vector<PlayDirective>& play) {
    std::string out;
    for (const auto& d : play)
        out += std::to_string(static_cast<int>(d.kind)) + " " + to_string(d.side) + " " + to_string(d.state) + " " + std::to_string(d.time.us) + "|";
    return out;
}

}  // namespace

std::vector<std::string> compare_translations(const Lesson& a, const Lesson& b) {
    std::vector<std::string> out;
    auto differ = [&](int line, const std::string& what) {
        out.push_back(b.file + ":" + std::to_string(line) + ": differs from " + a.file + ": " + what);
    };
    if (a.id != b.id) differ(1, "id '" + b.id + "' vs '" + a.id + "'");
    if (a.order != b.order) differ(1, "order " + std::to_string(b.order) + " vs " + std::to_string(a.order));
    if (a.steps.size() != b.steps.size()) {
        differ(1, std::to_string(b.steps.size()) + " steps vs " + std::to_string(a.steps.size()));
        return out;
    }
    for (std::size_t i = 0; i < a.steps.size(); ++i) {
        const Step& sa = a.steps[i];
        const Step& sb = b.steps[i];
        const std::string which = "step " + std::to_string(i + 1);
        if (sa.scenario.has_value() != sb.scenario.has_value()) differ(sb.line, which + ": a scenario in one language only");
        else if (sa.scenario && scenario_fingerprint(*sa.scenario) != scenario_fingerprint(*sb.scenario))
            differ(sb.line, which + ": the scenario is not the same");
        if (play_fingerprint(sa.open) + "/" + play_fingerprint(sa.play) != play_fingerprint(sb.open) + "/" + play_fingerprint(sb.play))
            differ(sb.line, which + ": a different play block");
        if (sa.questions.size() != sb.questions.size()) {
            differ(sb.line, which + ": " + std::to_string(sb.questions.size()) + " questions vs " + std::to_string(sa.questions.size()));
            continue;
        }
        for (std::size_t k = 0; k < sa.questions.size(); ++k) {
            const Question& qa = sa.questions[k];
            const Question& qb = sb.questions[k];
            if (qa.id != qb.id) differ(qb.line, "question id '" + qb.id + "' vs '" + qa.id + "'");
            else if (qa.kind != qb.kind) differ(qb.line, "question '" + qb.id + "': kind differs");
            else if (qa.check != qb.check) differ(qb.line, "question '" + qb.id + "': check differs");
            else if (qa.choices.size() != qb.choices.size()) differ(qb.line, "question '" + qb.id + "': number of choices differs");
            else if (qa.answer_index != qb.answer_index || qa.answer_number != qb.answer_number)
                differ(qb.line, "question '" + qb.id + "': the answer differs");
        }
    }
    return out;
}

}  // namespace finwave
