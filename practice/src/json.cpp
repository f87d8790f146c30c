// An exercise as one JSON line, for `finwave practice --json` and for tools
// that re-check answers with `finwave run`.
#include <nlohmann/json.hpp>

#include "finwave/event_text.hpp"
#include "finwave/practice.hpp"
#include "finwave/trace.hpp"

namespace finwave::practice {

namespace {

using Json = nlohmann::ordered_json;  // keys in the order a reader expects them

Json text(const Text& t) { return {{"en", t.en}, {"zh", t.zh}}; }

}  // namespace

std::string to_json(const Exercise& ex, const Simulation& sim) {
    Json question = {{"kind", to_string(ex.kind)}, {"side", to_string(ex.side)}};
    if (ex.t) question["t_us"] = ex.t->us;
    if (!ex.field.empty()) question["field"] = ex.field;
    question["prompt"] = text(ex.prompt);
    if (!ex.choices.empty()) {
        Json choices = Json::array();
        for (const auto& c : ex.choices) choices.push_back({{"value", c.value}, {"text", text(c.text)}});
        question["choices"] = std::move(choices);
    }
    Json deciding = Json::object();
    if (ex.deciding.seg) deciding["seg"] = ex.deciding.seg;
    else if (!ex.deciding.knob.empty()) deciding["knob"] = ex.deciding.knob;
    else deciding["story"] = true;
    Json story = Json::array();
    for (const auto& s : ex.story) story.push_back(text(s));
    Json ladder = Json::array();
    const i18n::Words en(i18n::Lang::En), zh(i18n::Lang::Zh);
    for (const auto& e : sim.trace()) {
        if (!shown(ex, e)) continue;
        Json row = {{"t_us", e.t.us}, {"side", to_string(e.side)}, {"kind", to_string(e.kind)}};
        if (e.kind == EventKind::Send || e.kind == EventKind::Drop) row["seg"] = e.seg_id;
        if (e.kind == EventKind::State) row["to"] = to_string(e.to);
        row["text"] = text({i18n::event_text(e, en), i18n::event_text(e, zh)});
        ladder.push_back(std::move(row));
    }
    const Json o = {
        {"seed", ex.seed},
        {"level", ex.level},
        {"template", to_string(ex.story_template)},
        {"scenario", ex.scenario},
        {"profile", to_string(ex.profile)},
        {"question", std::move(question)},
        {"answer", ex.answer},
        {"why", {{"en", ex.why.en}, {"zh", ex.why.zh}, {"lesson", ex.lesson}, {"deciding", std::move(deciding)}}},
        {"story", std::move(story)},
        {"knobs", ex.knobs},
        {"ladder", std::move(ladder)},
    };
    return o.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace finwave::practice
