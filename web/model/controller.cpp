#include "controller.hpp"

#include <cstdlib>

#include "finwave/parse_number.hpp"
#include "finwave/scenario.hpp"

namespace finwave::web {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

Reply ok() { return {}; }
Reply fail(std::string why) { return {false, std::move(why)}; }

std::string join(const std::vector<std::string_view>& w, std::size_t from) {
    std::string s;
    for (std::size_t i = from; i < w.size(); ++i) {
        if (i > from) s += ' ';
        s += w[i];
    }
    return s;
}

}  // namespace

Reply apply_command(Tutor& t, const Command& c) {
    return std::visit(Overloaded{
        [&](const cmd::OpenLesson& x) {
            return t.open_lesson(x.id, x.step) ? ok() : fail(t.trf("error.no_lesson", {x.id}));
        },
        [&](const cmd::OpenPractice& x) {
            const bool opened = x.seed ? t.open_practice(*x.seed, x.level) : t.open_next_practice();
            return opened ? ok() : fail("no exercise to open");
        },
        [&](const cmd::OpenSandbox& x) {
            return t.open_sandbox(x.scenario) ? ok() : fail(t.trf("error.no_scenario", {x.scenario}));
        },
        [&](const cmd::GoStep& x) {
            return t.go_step(x.index) ? ok() : fail(t.trf("error.no_step", {std::to_string(x.index + 1)}));
        },
        [&](const cmd::NextStep&) {
            if (t.quiz_only()) {  // from question to question, over the steps that only explain
                const auto next = t.question_step(t.step_index() + 1, +1);
                return next && t.go_step(*next) ? ok() : fail(t.tr("error.last_question"));
            }
            return t.go_step(t.step_index() + 1) ? ok() : fail(t.tr("error.last_step"));
        },
        [&](const cmd::PrevStep&) {
            if (t.quiz_only()) {
                const auto back = t.step_index() > 0 ? t.question_step(t.step_index() - 1, -1) : std::nullopt;
                return back && t.go_step(*back) ? ok() : fail(t.tr("error.first_question"));
            }
            return t.step_index() > 0 && t.go_step(t.step_index() - 1) ? ok() : fail(t.tr("error.first_step"));
        },
        [&](const cmd::SetLang& x) {
            t.set_lang(x.lang);
            return ok();
        },
        [&](const cmd::Play&) {
            t.set_playing(true);
            return t.playing() ? ok() : fail(t.tr(t.has_sim() || t.busy() ? "error.run_over" : "error.no_sim"));
        },
        [&](const cmd::Pause&) {
            t.set_playing(false);
            return ok();
        },
        [&](const cmd::TogglePlay&) {
            t.set_playing(!t.playing());
            return ok();
        },
        [&](const cmd::StepEvent&) { return t.step_event() ? ok() : fail(t.tr("error.nothing_left")); },
        [&](const cmd::NextTimer&) { return t.next_timer() ? ok() : fail(t.tr("error.no_timer")); },
        [&](const cmd::Rewind& x) {
            if (!t.has_sim()) return fail(t.tr("error.no_sim"));
            t.rewind_to(t.run().position_back(x.events));
            return ok();
        },
        [&](const cmd::RewindToEvent& x) {
            if (!t.has_sim()) return fail(t.tr("error.no_sim"));
            if (x.trace_index >= t.sim().trace().size()) return fail(t.trf("error.no_event", {std::to_string(x.trace_index)}));
            t.rewind_to(t.run().position_after_event(x.trace_index));
            return ok();
        },
        [&](const cmd::ResetStep&) {
            if (!t.has_sim() && !t.busy()) return fail(t.tr("error.no_sim"));
            t.reset_step();
            return ok();
        },
        [&](const cmd::SetSpeed& x) {
            t.set_speed(x.virtual_per_real);
            return ok();
        },
        [&](const cmd::SetPauseOnState& x) {
            t.set_pause_on_state(x.on);
            return ok();
        },
        [&](const cmd::Sim& x) {
            const std::string error = t.apply(x.command);
            return error.empty() ? ok() : fail(t.tr(error));
        },
        [&](const cmd::SetProfile& x) {
            t.set_profile(x.profile);
            return ok();
        },
        [&](const cmd::SetKnob& x) {
            const std::string error = t.set_knob(x.name, x.value);
            return error.empty() ? ok() : fail(error);
        },
        [&](const cmd::ResetKnobs&) {
            t.reset_knobs();
            return ok();
        },
        [&](const cmd::AnswerChoice& x) {
            return t.answer_choice(x.question, x.choice) ? ok() : fail(t.trf("error.bad_answer", {x.question}));
        },
        [&](const cmd::AnswerNumber& x) {
            return t.answer_number(x.question, x.value) ? ok() : fail(t.trf("error.not_number_question", {x.question}));
        },
        [&](const cmd::MoveOrderItem& x) {
            return t.move_order_item(x.question, x.from, x.to) ? ok() : fail(t.tr("error.cannot_move"));
        },
        [&](const cmd::SubmitOrder& x) {
            return t.submit_order(x.question) ? ok() : fail(t.trf("error.not_order_question", {x.question}));
        },
        [&](const cmd::SkipQuestion& x) {
            return t.skip_question(x.question) ? ok() : fail("'" + x.question + "' is not an open question");
        },
        [&](const cmd::ResetProgress&) {
            t.reset_progress();
            return ok();
        },
        [&](const cmd::Select& x) {
            t.selected_segment = x.segment;
            return ok();
        },
        [&](const cmd::DismissNotice& x) {
            t.dismiss_notice(x.index);
            return ok();
        },
        [&](const cmd::HostSort& x) {
            if (!t.busy()) return fail(t.tr("error.no_host"));
            HostTableView v = t.busy()->table_view;
            v.sort = x.column;
            v.descending = x.descending;
            t.set_host_table(v);
            return ok();
        },
        [&](const cmd::HostFilter& x) {
            if (!t.busy()) return fail(t.tr("error.no_host"));
            HostTableView v = t.busy()->table_view;
            v.filter = x.state;
            t.set_host_table(v);
            return ok();
        },
    }, c);
}

std::variant<Command, std::string> parse_command(std::string_view text, const Tutor& tutor) {
    const auto w = words_of(text);
    if (w.empty()) return std::string("empty command");
    const std::string_view verb = w[0];
    auto want = [&](std::size_t n, const char* usage) -> std::optional<std::string> {
        if (w.size() != n) return std::string("usage: ") + usage;
        return std::nullopt;
    };
    auto side_at = [&](std::size_t i) { return i < w.size() ? parse_side(w[i]) : std::nullopt; };

    if (verb == "lesson") {
        if (w.size() < 2 || w.size() > 3) return std::string("usage: lesson ID [STEP]");
        std::size_t step = 0;
        if (w.size() == 3) {
            auto n = parse_integer<std::size_t>(w[2]);
            if (!n || *n == 0) return std::string("the step is a number from 1");
            step = *n - 1;
        }
        return Command{cmd::OpenLesson{std::string(w[1]), step}};
    }
    if (verb == "practice") {
        if (w.size() == 1) return Command{cmd::OpenPractice{}};
        if (w.size() > 3) return std::string("usage: practice [SEED [LEVEL]]");
        const auto seed = parse_integer<std::uint64_t>(w[1]);
        const auto level = w.size() == 3 ? parse_integer<int>(w[2]) : std::optional<int>(0);
        if (!seed) return std::string("the seed is a whole number");
        if (!level || *level < 0 || *level > 3) return std::string("the level is 1, 2 or 3");
        return Command{cmd::OpenPractice{*seed, *level}};
    }
    if (verb == "sandbox") {
        if (auto e = want(2, "sandbox SCENARIO")) return *e;
        return Command{cmd::OpenSandbox{std::string(w[1])}};
    }
    if (verb == "step") {
        if (auto e = want(2, "step N (from 1)")) return *e;
        auto n = parse_integer<std::size_t>(w[1]);
        if (!n || *n == 0) return std::string("the step is a number from 1");
        return Command{cmd::GoStep{*n - 1}};
    }
    if (verb == "next") return Command{cmd::NextStep{}};
    if (verb == "back") return Command{cmd::PrevStep{}};
    if (verb == "lang") {
        if (auto e = want(2, "lang en|zh")) return *e;
        auto l = parse_lang(w[1]);
        if (!l) return std::string("languages: en, zh");
        return Command{cmd::SetLang{*l}};
    }
    if (verb == "play") return Command{cmd::Play{}};
    if (verb == "pause") return Command{cmd::Pause{}};
    if (verb == "toggle") return Command{cmd::TogglePlay{}};
    if (verb == "event") return Command{cmd::StepEvent{}};
    if (verb == "timer") return Command{cmd::NextTimer{}};
    if (verb == "reset") return Command{cmd::ResetStep{}};
    if (verb == "rewind") {
        if (w.size() == 1) return Command{cmd::Rewind{1}};
        if (auto e = want(2, "rewind [N]")) return *e;
        auto n = parse_integer<std::size_t>(w[1]);
        if (!n) return std::string("rewind takes a number of events");
        return Command{cmd::Rewind{*n}};
    }
    if (verb == "rewind-to-event") {
        if (auto e = want(2, "rewind-to-event TRACE_INDEX")) return *e;
        auto n = parse_integer<std::size_t>(w[1]);
        if (!n) return std::string("rewind-to-event takes a trace index");
        return Command{cmd::RewindToEvent{*n}};
    }
    if (verb == "speed") {
        if (auto e = want(2, "speed VIRTUAL_SECONDS_PER_SECOND")) return *e;
        char* end = nullptr;
        const std::string s(w[1]);
        const double v = std::strtod(s.c_str(), &end);
        if (end == s.c_str() || *end != '\0' || !(v > 0)) return std::string("speed takes a positive number");
        return Command{cmd::SetSpeed{v}};
    }
    if (verb == "pause-on-state") {
        if (auto e = want(2, "pause-on-state on|off")) return *e;
        if (w[1] != "on" && w[1] != "off") return std::string("pause-on-state takes on or off");
        return Command{cmd::SetPauseOnState{w[1] == "on"}};
    }
    if (verb == "call") {
        if (w.size() < 3) return std::string("usage: call client|server CALL [ARG], e.g. call client close");
        auto side = side_at(1);
        if (!side) return std::string("expected client or server after 'call'");
        std::vector<std::string_view> rest(w.begin() + 2, w.end());
        auto parsed = parse_app_call(rest);
        if (auto* e = std::get_if<std::string>(&parsed)) return *e;
        SimCommand sc;
        sc.kind = SimCommand::Kind::Call;
        sc.side = *side;
        sc.call = std::get<AppCall>(parsed);
        return Command{cmd::Sim{sc}};
    }
    if (verb == "drop" || verb == "duplicate" || verb == "delay") {
        if (auto e = want(2, "drop|duplicate|delay SEGMENT_ID")) return *e;
        std::string_view id = w[1];
        if (!id.empty() && id.front() == '#') id.remove_prefix(1);
        auto n = parse_integer<std::uint64_t>(id);
        if (!n) return std::string("expected a segment id, e.g. drop 8");
        SimCommand sc;
        sc.seg_id = *n;
        if (verb == "drop") {
            sc.kind = SimCommand::Kind::Drop;
        } else if (verb == "duplicate") {
            sc.kind = SimCommand::Kind::Duplicate;
            sc.extra = kDuplicateAfter;
        } else {
            sc.kind = SimCommand::Kind::Delay;
            sc.extra = kDelayBy;
        }
        return Command{cmd::Sim{sc}};
    }
    if (verb == "drop-next") {
        if (auto e = want(2, "drop-next client|server")) return *e;
        auto side = side_at(1);
        if (!side) return std::string("expected client or server");
        SimCommand sc;
        sc.kind = SimCommand::Kind::DropNext;
        sc.side = *side;
        return Command{cmd::Sim{sc}};
    }
    if (verb == "profile") {
        if (auto e = want(2, "profile linux|rfc")) return *e;
        auto p = parse_profile(w[1]);
        if (!p) return std::string("profiles: linux, rfc");
        return Command{cmd::SetProfile{*p}};
    }
    if (verb == "set") {
        if (auto e = want(2, "set KNOB=VALUE")) return *e;
        const auto eq = w[1].find('=');
        if (eq == std::string_view::npos) return std::string("usage: set KNOB=VALUE");
        return Command{cmd::SetKnob{std::string(w[1].substr(0, eq)), std::string(w[1].substr(eq + 1))}};
    }
    if (verb == "knobs-default") return Command{cmd::ResetKnobs{}};
    if (verb == "answer") {
        if (w.size() < 3) return std::string("usage: answer QUESTION_ID ANSWER");
        const std::string id(w[1]);
        const Question* q = tutor.question(id);
        if (!q) return "no question '" + id + "' in this lesson";
        const std::string value = join(w, 2);
        if (q->kind == QuestionKind::Field) {
            auto n = parse_integer<std::int64_t>(value);
            if (!n) return std::string("this question takes a whole number");
            return Command{cmd::AnswerNumber{id, *n}};
        }
        if (q->kind == QuestionKind::Order) return Command{cmd::SubmitOrder{id}};
        if (value.size() == 1 && value[0] >= 'A' && value[0] <= 'Z')
            return Command{cmd::AnswerChoice{id, value[0] - 'A'}};
        for (std::size_t i = 0; i < q->choices.size(); ++i)
            if (q->choices[i].text == value || q->choices[i].value == value)
                return Command{cmd::AnswerChoice{id, static_cast<int>(i)}};
        return "'" + value + "' is none of the choices of '" + id + "' (a letter A, B, ... or the text)";
    }
    if (verb == "skip") {
        if (auto e = want(2, "skip QUESTION_ID")) return *e;
        return Command{cmd::SkipQuestion{std::string(w[1])}};
    }
    if (verb == "order-move") {
        if (auto e = want(4, "order-move QUESTION_ID FROM TO (positions from 1)")) return *e;
        auto from = parse_integer<int>(w[2]);
        auto to = parse_integer<int>(w[3]);
        if (!from || !to) return std::string("positions are numbers from 1");
        return Command{cmd::MoveOrderItem{std::string(w[1]), *from - 1, *to - 1}};
    }
    if (verb == "reset-progress") return Command{cmd::ResetProgress{}};
    if (verb == "select") {
        if (w.size() == 1) return Command{cmd::Select{}};
        auto n = parse_integer<std::uint64_t>(w[1]);
        if (!n) return std::string("usage: select [SEGMENT_ID]");
        return Command{cmd::Select{*n}};
    }
    if (verb == "host-sort") {
        if (w.size() < 2 || w.size() > 3) return std::string("usage: host-sort state|recv-q|send-q|local|peer|host [asc|desc]");
        const auto column = parse_host_column(w[1]);
        if (!column) return "no column '" + std::string(w[1]) + "' (state, recv-q, send-q, local, peer, host)";
        if (w.size() == 3 && w[2] != "asc" && w[2] != "desc") return std::string("host-sort's order is asc or desc");
        return Command{cmd::HostSort{*column, w.size() == 3 && w[2] == "desc"}};
    }
    if (verb == "host-filter") {
        if (auto e = want(2, "host-filter STATE|all, e.g. host-filter TIME-WAIT")) return *e;
        if (w[1] == "all") return Command{cmd::HostFilter{}};
        const auto st = parse_state(w[1]);
        if (!st) return "no state '" + std::string(w[1]) + "' (e.g. TIME-WAIT, CLOSE-WAIT, or all)";
        return Command{cmd::HostFilter{*st}};
    }
    return "unknown command '" + std::string(verb) + "'";
}

}  // namespace finwave::web
