#include "roundtrip.hpp"

#include <sstream>

#include "finwave/builtin.hpp"
#include "finwave/capture.hpp"
#include "finwave/observed.hpp"
#include "finwave/simulation.hpp"

using namespace finwave;
using namespace finwave::capture;

namespace roundtrip {

Result run(std::string_view name, Profile p, Side at) {
    Result r;
    r.label = std::string(name) + " " + to_string(p) + " @" + to_string(at);
    auto parsed = load_builtin(name);
    if (!std::holds_alternative<Scenario>(parsed)) return r.error = "does not parse", r;
    const Scenario& sc = std::get<Scenario>(parsed);
    auto knobs = resolve_knobs(sc, p, {});
    if (!std::holds_alternative<Knobs>(knobs)) return r.error = std::get<std::string>(knobs), r;
    Simulation sim(sc, std::get<Knobs>(knobs), sc.seed.value_or(1));
    sim.run();
    for (const auto& e : sim.trace())
        if (e.kind == EventKind::State && e.from != e.to) r.engine[static_cast<int>(e.side)].push_back({e.to, e.t.us});
    auto frames = capture_frames(sim.trace(), default_options(at, IpVersion::V4));
    if (!std::holds_alternative<std::vector<CapturedFrame>>(frames)) return r.error = "cannot capture", r;
    std::vector<Observed> segs;
    for (const auto& f : std::get<std::vector<CapturedFrame>>(frames)) {
        auto o = parse_frame(linktype::ETHERNET, f.bytes, static_cast<std::uint32_t>(f.bytes.size()));
        if (!std::holds_alternative<Observed>(o)) return r.error = "a frame does not read back", r;
        std::get<Observed>(o).t_us = f.t.us;
        segs.push_back(std::get<Observed>(o));
    }
    ExplainOptions opt;
    opt.knobs = std::get<Knobs>(knobs);
    r.captured = segs.size();
    for (const auto& c : split_connections(segs)) {
        r.explanations.push_back(explain(c, opt));
        const auto& ex = r.explanations.back();
        const bool later = r.explanations.size() > 1;
        auto take = [&](const std::vector<StatePoint>& from, std::vector<Point>& to) {
            for (const auto& s : from) {
                // The engine's server listens once; each connection's
                // explanation starts from an inferred listen() of its own.
                if (later && s.inferred && s.state == State::Listen && &s == &from.front()) continue;
                // The run stopped here (its 'until'); the explanation follows timers further.
                if (s.t_us && *s.t_us > sim.now().us) continue;
                to.push_back({s.state, s.t_us.value_or(-1)});
            }
        };
        take(ex.client_states, r.explained[0]);
        take(ex.server_states, r.explained[1]);
    }
    return r;
}

std::string diff(const std::vector<Point>& engine, const std::vector<Point>& explained, std::int64_t slack_us) {
    auto show = [](const std::vector<Point>& v) {
        std::ostringstream os;
        for (const auto& p : v) os << to_string(p.state) << "@" << p.t_us << " ";
        return os.str();
    };
    bool same = engine.size() == explained.size();
    for (std::size_t i = 0; same && i < engine.size(); ++i) {
        if (engine[i].state != explained[i].state) same = false;
        else if (engine[i].state != State::Listen && std::abs(engine[i].t_us - explained[i].t_us) > slack_us) same = false;
    }
    return same ? "" : "engine " + show(engine) + "| explained " + show(explained);
}

}  // namespace roundtrip
