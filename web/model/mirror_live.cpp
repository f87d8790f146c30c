// The live part of the accessible mirror (mirror.hpp): everything the
// canvas draws of the running simulation, as data the page turns into a
// table of segments, the timers, and the controls that drive the run.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "commands.hpp"
#include "host_json.hpp"
#include "finwave/event_text.hpp"
#include "finwave/knobs.hpp"
#include "finwave/trace.hpp"
#include "ladder.hpp"
#include "mirror.hpp"

namespace finwave::web {

namespace {

using nlohmann::json;

// Changes of state the page is told about, newest last: enough to read back
// the close of a connection, bounded for a long run.
constexpr std::size_t kTransitions = 40;
// Segments the table holds, newest last. A close needs a dozen; a run of
// keepalive probes or a long transfer is cut to its latest ones.
constexpr std::size_t kSegments = 200;

std::string seconds(std::int64_t us) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(us) / 1e6);
    return buf;
}
std::string seconds(Instant t) { return seconds(t.us); }

// What the learner may see of the live run: the one place where the lesson
// player's rule that nothing gives an answer away before the learner commits
// (Tutor::hidden(), the same the canvas follows) reaches this view. A value
// withheld is replaced by the words saying so before it goes into the JSON,
// so the page never holds what the canvas hides.
struct Shown {
    Hidden hidden;
    std::string withheld;        // what stands in for a withheld value
    std::string state_withheld;  // ... and for a withheld state
};

Shown shown_to_learner(const Tutor& t) { return {t.hidden(), t.tr("quiz.hidden_value"), t.tr("state.hidden")}; }

const char* fate_name(const LadderArrow& a) {
    switch (a.fate) {
        case LadderArrow::Fate::Delivered: return "delivered";
        case LadderArrow::Fate::Lost: return "lost";
        case LadderArrow::Fate::InFlight: break;
    }
    return "in-flight";
}

const char* cause_name(DropCause c) {
    switch (c) {
        case DropCause::Learner: return "learner";
        case DropCause::Fault: return "fault";
        case DropCause::RandomLoss: return "random";
        case DropCause::None: break;
    }
    return "";
}

// The segment a retransmission repeats: the first one the same side sent
// with the same sequence number, length and SYN/FIN, as a capture tool
// pairs them.
std::optional<std::uint64_t> original_of(const std::vector<LadderArrow>& arrows, std::size_t at) {
    const LadderArrow& r = arrows[at];
    constexpr std::uint8_t kSeqFlags = flag::SYN | flag::FIN;
    for (std::size_t i = 0; i < at; ++i) {
        const LadderArrow& a = arrows[i];
        if (!a.copy && !a.retransmission && a.from == r.from && a.seq == r.seq && a.len == r.len &&
            (a.flags & kSeqFlags) == (r.flags & kSeqFlags))
            return a.seg_id;
    }
    return std::nullopt;
}

json segments_json(const Tutor& t, const Shown& shown) {
    const Simulation& sim = t.sim();
    const LadderData data = build_ladder(sim);
    // The learner's own delays and duplicates, from the run's record.
    std::vector<std::uint64_t> delayed_by_learner;
    for (const RunAction& a : t.run().actions())
        if (a.kind == RunAction::Kind::Command && a.command.kind == SimCommand::Kind::Delay) delayed_by_learner.push_back(a.command.seg_id);
    const Duration latency = sim.knobs().latency;
    json rows = json::array();
    const std::size_t first = data.arrows.size() > kSegments ? data.arrows.size() - kSegments : 0;
    for (std::size_t i = first; i < data.arrows.size(); ++i) {
        const LadderArrow& a = data.arrows[i];
        const bool duplicated = std::any_of(data.arrows.begin(), data.arrows.end(),
                                            [&](const LadderArrow& b) { return b.copy && b.seg_id == a.seg_id; });
        // Later than the link's latency: a fault of the scenario or the learner held it.
        const bool delayed = !a.copy && (std::find(delayed_by_learner.begin(), delayed_by_learner.end(), a.seg_id) != delayed_by_learner.end() ||
                                         (a.fate == LadderArrow::Fate::Delivered && a.arrives - a.sent > latency));
        json row = {{"id", a.seg_id},
                    {"t", seconds(a.sent)},
                    {"from", to_string(a.from)},
                    {"to", to_string(peer_of(a.from))},
                    {"flags", flag_names(a.flags)},
                    {"seq", a.seq},
                    {"ack", (a.flags & flag::ACK) != 0 ? json(a.ack) : json(nullptr)},
                    {"len", a.len},
                    {"withheld", json::array()},
                    {"fate", fate_name(a)},
                    {"arrives", seconds(a.arrives)},
                    {"copy", a.copy},
                    {"duplicated", duplicated && !a.copy},
                    {"delayed", delayed},
                    {"retransmission", a.retransmission},
                    {"event", a.send_event}};
        for (const char* field : {"seq", "ack", "len"})
            if (shown.hidden.field(a.seg_id, field)) {
                row[field] = shown.withheld;
                row["withheld"].push_back(field);
            }
        if (a.fate == LadderArrow::Fate::Lost) row["cause"] = cause_name(a.cause);
        if (a.retransmission)
            if (auto original = original_of(data.arrows, i)) row["original"] = *original;
        rows.push_back(std::move(row));
    }
    return {{"rows", std::move(rows)}, {"total", data.arrows.size()}};
}

json timers_json(const Tutor& t, const Shown& shown) {
    const Simulation& sim = t.sim();
    // Against the simulation's clock, which moves with each event as this
    // part does (the canvas's bars also move between events).
    const Instant now = sim.now();
    json out = json::array();
    for (int k = 0; k < kTimerCount; ++k) {
        const auto kind = static_cast<TimerKind>(k);
        json row = {{"kind", to_string(kind)}};
        for (Side side : {Side::Client, Side::Server}) {
            if (shown.hidden.timers[static_cast<std::size_t>(side)]) {
                // A question asks for a time: not even whether it runs.
                row[to_string(side)] = {{"deadline", shown.withheld}, {"left", shown.withheld}, {"withheld", true}};
                continue;
            }
            const auto deadline = sim.endpoint(side).timer(kind);
            if (!deadline) {
                row[to_string(side)] = nullptr;
                continue;
            }
            const Duration left = *deadline > now ? *deadline - now : Duration{};
            row[to_string(side)] = {{"deadline", seconds(*deadline)}, {"left", seconds(left.us)}};
        }
        out.push_back(std::move(row));
    }
    return out;
}

json knobs_json(const Tutor& t) {
    const Knobs defaults = defaults_for(t.profile());
    const Knobs& knobs = t.has_sim() ? t.sim().knobs() : defaults;
    json out = json::array();
    for (const KnobInfo& k : knob_catalog()) {
        const bool changed = std::any_of(t.knob_overrides().begin(), t.knob_overrides().end(), [&](const auto& kv) { return kv.first == k.name; });
        out.push_back({{"name", k.name}, {"kind", k.kind}, {"value", get_knob(knobs, k.name).value_or("")}, {"changed", changed},
                       {"label", i18n::knob_label(k, t.words())}, {"help", i18n::knob_help(k, t.words())},
                       {"help_lang", t.words().lang() == i18n::Lang::Zh ? "zh-CN" : "en"}});
    }
    return out;
}

}  // namespace

json mirror_hidden_json(const Tutor& t) {
    const Hidden h = t.hidden();
    json fields = json::array();
    for (const auto& [id, field] : h.fields) fields.push_back({{"id", id}, {"field", field}});
    const Question* g = t.gate();
    return {{"client_state", h.state[0]},
            {"server_state", h.state[1]},
            {"client_timers", h.timers[0]},
            {"server_timers", h.timers[1]},
            {"fields", std::move(fields)},
            {"gate", g ? json(g->id) : json(nullptr)},
            {"held_by", t.held_by().empty() ? json(nullptr) : json(t.held_by())},
            {"text", t.tr("quiz.hidden_value")}};
}

std::string mirror_live_key(const Tutor& t) {
    std::string key = std::string(to_string(t.profile())) + (t.profile_overridden() ? "!" : "") + '|';
    for (const auto& [name, value] : t.knob_overrides()) key += name + '=' + value + ',';
    char speed[32];
    std::snprintf(speed, sizeof speed, "|%g|%c|", t.speed(), t.pause_on_state() ? 's' : '-');
    key += speed;
    if (t.busy()) return key + host_mirror_key(t);
    if (!t.has_sim()) return key + "none|" + t.sim_error();
    const Simulation& sim = t.sim();
    key += std::to_string(t.run().position()) + '|' + std::to_string(sim.trace().size()) + '|';
    key += t.playing() ? 'p' : '-';
    key += sim.finished() ? 'f' : '-';
    key += '|' + t.lesson_id() + '#' + std::to_string(t.step_index()) + '|' + t.sandbox_scenario();
    key += std::string("|") + to_string(sim.endpoint(Side::Client).state()) + '|' + to_string(sim.endpoint(Side::Server).state());
    const Hidden h = t.hidden();
    key += std::string("|h") + (h.state[0] ? 'c' : '-') + (h.state[1] ? 's' : '-') + (h.timers[0] ? 'C' : '-') + (h.timers[1] ? 'S' : '-') +
           std::to_string(h.fields.size()) + t.held_by();
    key += t.at_step_end() ? 'e' : '-';
    return key;
}

std::string mirror_live_json(const Tutor& t) {
    json speeds = json::array();
    for (double v : kPlaySpeeds) speeds.push_back(v);
    json doc = {
        {"has_sim", t.has_sim()},
        {"profile", to_string(t.profile())},
        {"profile_changed", t.profile_overridden()},
        {"knobs", knobs_json(t)},
        {"speed", t.speed()},
        {"speeds", std::move(speeds)},
        {"pause_on_state", t.pause_on_state()},
    };
    if (!t.has_sim()) {
        doc["error"] = t.sim_error();
        if (t.busy()) doc["host"] = host_mirror_json(t);
        return doc.dump(-1, ' ', false, json::error_handler_t::replace);
    }
    const Simulation& sim = t.sim();
    const Shown shown = shown_to_learner(t);
    // Another step, or the same step restarted by a new profile or knob:
    // the page starts its log and its announcements afresh.
    std::string run = t.lesson_id() + "#" + std::to_string(t.step_index()) + "|" + t.sandbox_scenario() + "|" + to_string(t.profile());
    for (const auto& [name, value] : t.knob_overrides()) run += "|" + name + "=" + value;
    doc["run"] = std::move(run);
    doc["position"] = t.run().position();
    doc["step_start"] = t.step_start();
    doc["t"] = seconds(sim.now());
    doc["playing"] = t.playing();
    doc["finished"] = sim.finished();
    doc["step_end"] = t.at_step_end();
    doc["hidden"] = mirror_hidden_json(t);
    const Hidden& h = shown.hidden;
    auto state_text = [&](Side s) {
        return h.state[static_cast<std::size_t>(s)] ? shown.state_withheld : std::string(to_string(sim.endpoint(s).state()));
    };
    doc["client"] = state_text(Side::Client);
    doc["server"] = state_text(Side::Server);
    const auto& trace = sim.trace();
    std::vector<std::size_t> picked;
    for (std::size_t i = trace.size(); i-- > 0 && picked.size() < kTransitions;)
        if (trace[i].kind == EventKind::State) picked.push_back(i);
    json transitions = json::array();
    for (auto it = picked.rbegin(); it != picked.rend(); ++it) {
        const TraceEvent& e = trace[*it];
        const bool hide_from = h.names(e.side, e.from);
        const bool hide_to = h.names(e.side, e.to);
        transitions.push_back({{"i", *it}, {"t", seconds(e.t)}, {"side", to_string(e.side)},
                               {"from", hide_from ? shown.state_withheld : std::string(to_string(e.from))},
                               {"to", hide_to ? shown.state_withheld : std::string(to_string(e.to))},
                               {"text", hide_from || hide_to ? t.tr(std::string("side.") + to_string(e.side) + "_lower") + " " + shown.state_withheld : i18n::event_text(e, t.words())}});
    }
    doc["transitions"] = std::move(transitions);
    doc["segments"] = segments_json(t, shown);
    doc["timers"] = timers_json(t, shown);
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace finwave::web
