#include "explain_cmd.hpp"

#include <iostream>

#include <nlohmann/json.hpp>

#include "capture_in.hpp"
#include "finwave/event_text.hpp"
#include "finwave/capture.hpp"
#include "finwave/explain.hpp"
#include "finwave/scenario.hpp"

namespace finwave {

namespace {

using namespace capture;

std::string side_word(Side s, const i18n::Words& w) { return w(s == Side::Client ? "side.client_lower" : "side.server_lower"); }

std::string seconds(std::int64_t us) { return format_instant(Instant{us}); }

// Sequence numbers as Wireshark shows them: from the SYN when the capture has
// one; as captured otherwise (text pasted already relative stays as it was).
struct Numbering {
    std::array<std::uint32_t, 2> base{};
    std::array<bool, 2> known{};
    explicit Numbering(const Connection& c) {
        for (std::size_t i = 0; i < c.segs.size(); ++i) {
            const std::size_t s = c.from_client[i] ? 0 : 1;
            if ((c.segs[i].flags & flag::SYN) && !known[s]) base[s] = c.segs[i].seq, known[s] = true;
        }
    }
    std::uint32_t seq(std::size_t side, std::uint32_t v) const { return known[side] ? v - base[side] : v; }
};

std::string segment_line(const Connection& c, std::size_t i, const Numbering& num, std::int64_t t0, bool timed, const i18n::Words& w) {
    const Observed& o = c.segs[i];
    const std::size_t s = c.from_client[i] ? 0 : 1;
    std::string line = "  #" + std::to_string(i + 1) + "  ";
    if (timed) line += seconds(o.t_us.value_or(0) - t0) + "  ";
    line += side_word(c.from_client[i] ? Side::Client : Side::Server, w) + " > " + side_word(c.from_client[i] ? Side::Server : Side::Client, w);
    line += " [" + flag_names(o.flags) + "] Seq=" + std::to_string(num.seq(s, o.seq));
    if (o.flags & flag::ACK) line += " Ack=" + std::to_string(num.seq(1 - s, o.ack));
    line += " Len=" + std::to_string(o.len);
    return line;
}

std::string note_text(const NoteAt& n, const i18n::Words& w) {
    return w(std::string("explain.note.") + to_string(n.note),
             {side_word(n.side, w), to_string(n.from), to_string(n.to), std::to_string(n.value), format_duration(Duration{n.gap_us})});
}

std::string inference_text(const InferenceAt& inf, const Connection& c, const i18n::Words& w) {
    std::string key = std::string("explain.inferred.") + to_string(inf.what);
    if (inf.what == Inference::CapturePointGuess) key += "." + std::to_string(inf.value);
    const std::string where = inf.seg < c.segs.size() ? "#" + std::to_string(inf.seg + 1) + " (" + c.segs[inf.seg].where + ")" : "";
    return w(key, {side_word(inf.side, w), "", "", std::to_string(inf.value), format_duration(Duration{inf.value}), where});
}

nlohmann::json states_json(const std::vector<StatePoint>& v, std::int64_t t0) {
    auto out = nlohmann::json::array();
    for (const auto& s : v) out.push_back({to_string(s.state), s.t_us ? nlohmann::json(*s.t_us - t0) : nlohmann::json(nullptr)});
    return out;
}
nlohmann::json inferred_flags(const std::vector<StatePoint>& v) {
    auto out = nlohmann::json::array();
    for (const auto& s : v) out.push_back(s.inferred);
    return out;
}

// One connection explained and printed; true if something in it could not be used.
bool explain_one(const Connection& c, const ExplainOptions& opt, std::int64_t t0, bool timed, bool json, const i18n::Words& w) {
    const Explanation ex = explain(c, opt);
    const std::string client = c.client_addr + ":" + std::to_string(c.client_port);
    const std::string server = c.server_addr + ":" + std::to_string(c.server_port);
    const Numbering num(c);
    if (json) {
        nlohmann::json j;
        j["connection"] = c.number;
        j["endpoints"] = {{"client", client}, {"server", server}, {"client_known", c.client_known}};
        j["capture_at"] = ex.capture_at ? nlohmann::json(to_string(*ex.capture_at)) : nlohmann::json(nullptr);
        j["rtt_us"] = ex.rtt_us;
        j["kind"] = to_string(ex.kind);
        j["kind_text"] = w(std::string("explain.kind.") + to_string(ex.kind));
        j["kinds"] = nlohmann::json::array();
        for (auto k : ex.kinds) j["kinds"].push_back(to_string(k));
        j["client_states"] = states_json(ex.client_states, t0);
        j["server_states"] = states_json(ex.server_states, t0);
        j["client_states_inferred"] = inferred_flags(ex.client_states);
        j["server_states_inferred"] = inferred_flags(ex.server_states);
        j["notes"] = nlohmann::json::array();
        for (const auto& note : ex.notes) {
            const Observed& o = c.segs[note.seg];
            j["notes"].push_back({{"segment", note.seg + 1},
                                  {"where", o.where},
                                  {"t_us", o.t_us ? nlohmann::json(*o.t_us - t0) : nlohmann::json(nullptr)},
                                  {"note", to_string(note.note)},
                                  {"side", to_string(note.side)},
                                  {"lesson", lesson_for(note.note)},
                                  {"text", note_text(note, w)}});
        }
        j["inferred"] = nlohmann::json::array();
        for (const auto& inf : ex.inferred)
            j["inferred"].push_back({{"what", to_string(inf.what)}, {"side", to_string(inf.side)}, {"text", inference_text(inf, c, w)}});
        j["fin_retransmission_gaps_us"] = ex.fin_rtx_gaps_us;
        j["problems"] = ex.problems;
        std::cout << j.dump() << '\n';
        return !ex.problems.empty();
    }
    std::cout << '\n' << w("explain.connection", {std::to_string(c.number), client, server, w(std::string("explain.kind.") + to_string(ex.kind))}) << '\n';
    if (!c.client_known) std::cout << "  " << w("explain.client_guessed") << '\n';
    std::cout << w("explain.segments") << '\n';
    for (std::size_t i = 0; i < c.segs.size(); ++i) {
        std::cout << segment_line(c, i, num, t0, timed, w) << '\n';
        for (const auto& note : ex.notes)
            if (note.seg == i) std::cout << "      " << note_text(note, w) << "  [" << w("explain.lesson", {lesson_for(note.note)}) << "]\n";
    }
    if (!ex.fin_rtx_gaps_us.empty()) {
        std::string gaps;
        for (auto g : ex.fin_rtx_gaps_us) gaps += (gaps.empty() ? "" : ", ") + format_duration(Duration{g});
        std::cout << "  " << w("explain.rto", {gaps}) << '\n';
    }
    for (Side s : {Side::Client, Side::Server}) {
        const auto& st = s == Side::Client ? ex.client_states : ex.server_states;
        if (st.empty()) {
            std::cout << w("explain.states_unknown", {w(s == Side::Client ? "side.client" : "side.server")}) << '\n';
            continue;
        }
        std::cout << w("explain.states", {w(s == Side::Client ? "side.client" : "side.server")}) << '\n';
        for (const auto& p : st) {
            std::cout << "  " << (p.t_us ? seconds(*p.t_us - t0) + "  " : "") << to_string(p.state);
            if (p.inferred) std::cout << "  (" << w("explain.inferred_mark") << ")";
            std::cout << '\n';
        }
    }
    if (!ex.inferred.empty()) {
        std::cout << w("explain.inferred_head") << '\n';
        for (const auto& inf : ex.inferred) std::cout << "  - " << inference_text(inf, c, w) << '\n';
    }
    if (!ex.problems.empty()) {
        std::cout << w("explain.problems_head") << '\n';
        for (const auto& p : ex.problems) std::cout << "  - " << p << '\n';
    }
        return !ex.problems.empty();
}

int usage(const std::string& m) {
    std::cerr << "finwave: " << m << "\nusage: finwave explain FILE [--lang en|zh] [--json] [--profile linux|rfc] [--set KNOB=VALUE]... "
                 "[--capture-at client|server]\n";
    return 2;
}

}  // namespace

int cmd_explain(std::vector<std::string> args) {
    std::string path;
    bool json = false;
    i18n::Lang lang = i18n::Lang::En;
    Profile profile = Profile::Linux;
    std::vector<std::pair<std::string, std::string>> overrides;
    std::optional<Side> at;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--json") json = true;
        else if (a == "--lang") {
            const auto l = has_value ? i18n::parse_lang(args[++i]) : std::nullopt;
            if (!l) return usage("--lang takes en or zh");
            lang = *l;
        } else if (a == "--profile") {
            const auto p = has_value ? parse_profile(args[++i]) : std::nullopt;
            if (!p) return usage("--profile takes linux or rfc");
            profile = *p;
        } else if (a == "--set") {
            const std::string v = has_value ? args[++i] : "";
            const auto eq = v.find('=');
            if (eq == std::string::npos || eq == 0) return usage("--set takes KNOB=VALUE, e.g. --set fin_timeout=3s");
            overrides.emplace_back(v.substr(0, eq), v.substr(eq + 1));
        } else if (a == "--capture-at") {
            at = has_value ? parse_capture_point(args[++i]) : std::nullopt;
            if (!at) return usage("--capture-at takes client or server");
        } else if (!a.empty() && a[0] == '-' && a != "-") return usage("unknown option '" + a + "'");
        else if (path.empty()) path = a;
        else return usage("explain takes one capture file, got '" + path + "' and '" + a + "'");
    }
    if (path.empty()) return usage("explain needs a capture file (pcap, pcapng, or text from tcpdump -n or Wireshark)");
    const i18n::Words w(lang);
    auto knobs = resolve_knobs(Scenario{}, profile, overrides);
    if (auto* err = std::get_if<std::string>(&knobs)) {
        std::cerr << "finwave: " << *err << '\n';
        return 2;
    }

    ExplainOptions opt;
    opt.knobs = std::get<Knobs>(knobs);
    opt.capture_at = at;
    // A connection quiet for twice the longest close timer is over: it is
    // explained and let go, so memory follows the connections open at once.
    const Knobs& k = opt.knobs;
    ConnectionSplitter splitter(2 * std::max(k.time_wait, k.fin_timeout.value_or(k.time_wait)).us);
    std::optional<std::int64_t> first_t;
    bool first_seen = false, timed = false;
    bool conn_problems = false;
    std::size_t n = 0;
    auto print = [&](const Connection& c) { conn_problems = explain_one(c, opt, first_t.value_or(0), timed, json, w) || conn_problems; ++n; };
    const CaptureIn in = read_capture(path, w, [&](Observed&& o) {
        if (!first_seen) first_t = o.t_us, timed = o.t_us.has_value(), first_seen = true;
        splitter.add(std::move(o));
        for (const auto& c : splitter.take_finished()) print(c);
    });
    if (!in.fatal.empty()) {
        std::cerr << "finwave: " << in.fatal << '\n';
        return 2;
    }
    for (const auto& p : in.problems) std::cerr << "finwave: " << p << '\n';
    if (in.segments == 0) {
        std::cerr << "finwave: " << w("explain.error.no_tcp", {path, std::to_string(in.packets), std::to_string(in.not_tcp), std::to_string(in.unreadable)}) << '\n';
        return 2;
    }
    for (const auto& c : splitter.take_all()) print(c);
    if (!json) {
        std::cout << "\n# " << w("explain.head", {path, std::to_string(n), std::to_string(in.segments)}) << '\n';
        if (in.not_tcp) std::cout << "# " << w("explain.skipped", {std::to_string(in.not_tcp)}) << '\n';
    }
    return in.problems.empty() && !conn_problems ? 0 : 1;
}


}  // namespace finwave
