#include "state_json.hpp"

#include "conformance.hpp"
#include "host_json.hpp"
#include "mirror.hpp"

#include <nlohmann/json.hpp>

#include "finwave/trace.hpp"

namespace finwave::web {

namespace {

using nlohmann::json;

constexpr std::size_t kLastEvents = 16;

json side_json(const Simulation& sim, Side side) {
    const Endpoint& ep = sim.endpoint(side);
    json timers = json::object();
    for (int k = 0; k < kTimerCount; ++k) {
        const auto kind = static_cast<TimerKind>(k);
        const auto deadline = ep.timer(kind);
        timers[to_string(kind)] = deadline ? json(deadline->us) : json(nullptr);
    }
    return {{"state", to_string(ep.state())}, {"timers", std::move(timers)}};
}

json sim_json(const Tutor& t) {
    if (!t.has_sim()) return nullptr;
    const Simulation& sim = t.sim();
    json in_flight = json::array();
    for (const InFlight& f : sim.in_flight()) {
        in_flight.push_back({{"id", f.seg.id}, {"from", to_string(f.seg.from)}, {"flags", flag_names(f.seg.flags)},
                             {"sent_us", f.sent.us}, {"arrives_us", f.arrives.us}, {"len", f.seg.len},
                             {"retransmission", f.seg.retransmission}});
    }
    const auto& trace = sim.trace();
    json events = json::array();
    for (std::size_t i = trace.size() > kLastEvents ? trace.size() - kLastEvents : 0; i < trace.size(); ++i) {
        const TraceEvent& e = trace[i];
        events.push_back({{"i", i}, {"t_us", e.t.us}, {"side", to_string(e.side)}, {"kind", to_string(e.kind)},
                          {"text", i18n::event_text(e, t.words())}});
    }
    int retransmissions = 0;
    json drops = json::array();
    for (const TraceEvent& e : trace) {
        if (e.kind == EventKind::Send && e.retransmission) ++retransmissions;
        if (e.kind == EventKind::Drop)
            drops.push_back({{"id", e.seg_id}, {"t_us", e.t.us}, {"flags", flag_names(e.flags)},
                             {"learner", e.drop_cause == DropCause::Learner}});
    }
    return {
        {"t_us", sim.now().us},
        {"view_us", t.view_time().us},
        {"playing", t.playing()},
        {"speed", t.speed()},
        {"finished", sim.finished()},
        {"position", t.run().position()},
        {"step_start", t.step_start()},
        {"step_end", t.at_step_end()},
        // What the views withhold until a question is answered (the values
        // above are the model's own, for tests and API users).
        {"hidden", mirror_hidden_json(t)},
        {"trace_len", trace.size()},
        {"profile", to_string(t.profile())},
        {"client", side_json(sim, Side::Client)},
        {"server", side_json(sim, Side::Server)},
        {"in_flight", std::move(in_flight)},
        {"last_events", std::move(events)},
        {"retransmissions", retransmissions},
        {"drops", std::move(drops)},
    };
}

json quiz_json(const Tutor& t) {
    json questions = json::array();
    const Lesson* l = t.lesson();
    const Score s = t.lesson_id().empty() ? Score{} : t.score(t.lesson_id());
    if (l) {
        for (std::size_t i = 0; i < l->steps.size(); ++i) {
            for (const Question& q : l->steps[i].questions) {
                const QuizEntry& e = t.quiz(q.id);
                json item = {{"id", q.id}, {"kind", to_string(q.kind)}, {"step", i + 1}, {"attempts", e.attempts},
                             {"correct", e.correct}, {"answered", e.answered_here}, {"last_correct", e.last_correct},
                             {"skipped", e.skipped}};
                if (!e.arrangement.empty()) item["arrangement"] = e.arrangement;
                if (i == t.step_index()) item["engine"] = t.engine_answer(q.id).value;
                item["check"] = q.check;
                questions.push_back(std::move(item));
            }
        }
    }
    return {{"score", s.correct}, {"total", s.total}, {"questions", std::move(questions)}};
}

}  // namespace

namespace {
json linux_check_json(const Tutor& t) {
    const auto c = current_linux_check(t);
    if (!c) return nullptr;
    return {{"scenario", c->scenario}, {"kernel", c->kernel}, {"date", c->date}};
}
// Why a built-in that was checked has no badge here (edited, changed since,
// other knobs), or null.
json linux_miss_json(const Tutor& t) {
    const auto c = current_linux_status(t);
    if (!c || c->miss == LinuxMiss::None) return nullptr;
    return {{"scenario", c->scenario}, {"why", to_string(c->miss)}};
}
}  // namespace

namespace {
// The spaced review, and the open exercise by its seed (never its answer).
json practice_json(const Tutor& t) {
    json cards = json::object();
    for (const auto& [id, c] : t.schedule().cards)
        cards[id] = {{"box", c.box}, {"due", review::format_date(c.due)}, {"right", c.right}, {"wrong", c.wrong}};
    json open = nullptr;
    if (const auto* ex = t.practice_exercise()) open = {{"seed", ex->seed}, {"level", ex->level}, {"card", practice_card_id(*ex)}};
    return {{"today", review::format_date(t.today())}, {"due", t.practice_due()}, {"open", std::move(open)}, {"cards", std::move(cards)}};
}
}  // namespace

std::string state_json(const Tutor& t, std::string_view extra) {
    json lessons = json::array();
    for (const CatalogEntry& e : t.catalog().entries()) {
        const Lesson* l = t.catalog().lesson(e.id, t.lang());
        const Score s = t.score(e.id);
        json langs = json::array();
        for (int k = 0; k < kLangCount; ++k)
            if (e.by_lang[static_cast<std::size_t>(k)]) langs.push_back(lang_code(static_cast<Lang>(k)));
        lessons.push_back({{"id", e.id}, {"title", l ? l->title : ""}, {"order", e.order},
                           {"score", s.correct}, {"total", s.total}, {"attempted", s.attempted}, {"langs", std::move(langs)}});
    }
    json problems = json::array();
    for (const LoadProblem& p : t.catalog().problems()) problems.push_back(p.text());
    json notices = json::array();
    for (const Alert& n : t.notices()) {
        const char* level = n.level == Alert::Level::Error ? "error" : n.level == Alert::Level::Warning ? "warning" : "info";
        notices.push_back({{"level", level}, {"key", n.key}, {"text", t.trf(n.key, n.args)}});
    }
    json lesson = nullptr;
    if (const Lesson* l = t.lesson()) {
        lesson = {{"id", l->id}, {"title", l->title}, {"file", l->file}, {"lang", l->lang},
                  {"step", t.step_index() + 1}, {"steps", l->steps.size()},
                  {"step_title", l->steps[t.step_index()].title}};
    }
    json doc = {
        {"lang", lang_code(t.lang())},
        {"lesson", std::move(lesson)},
        {"sandbox", t.sandbox_scenario()},
        {"mode", t.in_sandbox() ? "sandbox" : t.quiz_only() ? "quiz" : "lesson"},
        {"embed", t.embedded()},
        {"question", t.focus_question().empty() ? json(nullptr) : json(t.focus_question())},
        {"lessons", std::move(lessons)},
        {"problems", std::move(problems)},
        {"notices", std::move(notices)},
        {"sim", sim_json(t)},
        {"sim_error", t.sim_error()},
        {"linux_checked", linux_check_json(t)},
        {"linux_unchecked", linux_miss_json(t)},
        {"quiz", quiz_json(t)},
        {"selected_segment", t.selected_segment ? json(*t.selected_segment) : json(nullptr)},
        {"practice", practice_json(t)},
        {"host", host_json(t)},
    };
    // Replace, not throw: lesson text with broken UTF-8 must not stop the page.
    std::string out = doc.dump(-1, ' ', false, json::error_handler_t::replace);
    if (!extra.empty()) {
        out.pop_back();  // the closing brace
        out += ',';
        out += extra;
        out += '}';
    }
    return out;
}

}  // namespace finwave::web
