// An exercise as one JSON line, for `finwave practice --json` and for tools
// that re-check answers with `finwave run`.
#include "finwave/event_text.hpp"
#include "finwave/practice.hpp"
#include "finwave/trace.hpp"

namespace finwave::practice {

namespace {

std::string str(const std::string& s) { return "\"" + json_escape(s) + "\""; }
std::string text(const Text& t) { return "{\"en\":" + str(t.en) + ",\"zh\":" + str(t.zh) + "}"; }

}  // namespace

std::string to_json(const Exercise& ex, const Simulation& sim) {
    std::string o = "{\"seed\":" + std::to_string(ex.seed) + ",\"level\":" + std::to_string(ex.level) +
                    ",\"template\":" + str(to_string(ex.story_template)) + ",\"scenario\":" + str(ex.scenario) +
                    ",\"profile\":" + str(to_string(ex.profile));
    o += ",\"question\":{\"kind\":" + str(to_string(ex.kind)) + ",\"side\":" + str(to_string(ex.side));
    if (ex.t) o += ",\"t_us\":" + std::to_string(ex.t->us);
    if (!ex.field.empty()) o += ",\"field\":" + str(ex.field);
    o += ",\"prompt\":" + text(ex.prompt);
    if (!ex.choices.empty()) {
        o += ",\"choices\":[";
        for (std::size_t i = 0; i < ex.choices.size(); ++i)
            o += (i ? "," : "") + std::string("{\"value\":") + str(ex.choices[i].value) + ",\"text\":" + text(ex.choices[i].text) + "}";
        o += "]";
    }
    o += "},\"answer\":" + str(ex.answer);
    o += ",\"why\":{\"en\":" + str(ex.why.en) + ",\"zh\":" + str(ex.why.zh) + ",\"lesson\":" + str(ex.lesson) + ",\"deciding\":{";
    if (ex.deciding.seg) o += "\"seg\":" + std::to_string(ex.deciding.seg);
    else if (!ex.deciding.knob.empty()) o += "\"knob\":" + str(ex.deciding.knob);
    else o += "\"story\":true";
    o += "}},\"story\":[";
    for (std::size_t i = 0; i < ex.story.size(); ++i) o += (i ? "," : "") + text(ex.story[i]);
    o += "],\"knobs\":[";
    for (std::size_t i = 0; i < ex.knobs.size(); ++i) o += (i ? "," : "") + str(ex.knobs[i]);
    o += "],\"ladder\":[";
    const i18n::Words en(i18n::Lang::En), zh(i18n::Lang::Zh);
    bool first = true;
    for (const auto& e : sim.trace()) {
        if (!shown(ex, e)) continue;
        o += (first ? "" : ",") + std::string("{\"t_us\":") + std::to_string(e.t.us) + ",\"side\":" + str(to_string(e.side)) +
             ",\"kind\":" + str(to_string(e.kind));
        if (e.kind == EventKind::Send || e.kind == EventKind::Drop) o += ",\"seg\":" + std::to_string(e.seg_id);
        if (e.kind == EventKind::State) o += ",\"to\":" + str(to_string(e.to));
        o += ",\"text\":" + text({i18n::event_text(e, en), i18n::event_text(e, zh)}) + "}";
        first = false;
    }
    o += "]}";
    return o;
}

}  // namespace finwave::practice
