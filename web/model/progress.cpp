#include "progress.hpp"

#include <nlohmann/json.hpp>

namespace finwave::web {

std::string Progress::to_json() const {
    nlohmann::json lessons_json = nlohmann::json::object();
    for (const auto& [lesson, questions] : lessons) {
        nlohmann::json q = nlohmann::json::object();
        for (const auto& [id, r] : questions)
            q[id] = {{"correct", r.correct}, {"first_try", r.first_try}, {"attempts", r.attempts}};
        lessons_json[lesson] = std::move(q);
    }
    nlohmann::json doc = {{"format", kFormat}, {"version", kVersion}, {"lessons", std::move(lessons_json)}, {"review", review::serialize(review)}};
    return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ProgressLoad load_progress(std::string_view saved) {
    ProgressLoad out;
    if (saved.empty()) return out;
    auto discard = [&](std::string why) {
        out.progress = {};
        out.discarded_because = std::move(why);
        return out;
    };
    // No exceptions in the WASM build: parse errors come back as a
    // "discarded" value, and every access below checks the type first.
    const nlohmann::json doc = nlohmann::json::parse(saved.begin(), saved.end(), nullptr, false);
    if (doc.is_discarded()) return discard("not valid JSON");
    if (!doc.is_object()) return discard("not a JSON object");
    const auto format = doc.find("format");
    if (format == doc.end() || !format->is_string() || format->get<std::string>() != Progress::kFormat)
        return discard("not FinWave progress");
    const auto version = doc.find("version");
    if (version == doc.end() || !version->is_number_integer()) return discard("no version number");
    const std::int64_t v = version->get<std::int64_t>();
    if (v < 1 || v > Progress::kVersion)
        return discard("version " + version->dump() + ", this app reads versions 1 to " + std::to_string(Progress::kVersion));
    if (v >= 2) {
        const auto schedule = doc.find("review");
        if (schedule == doc.end() || !schedule->is_string()) return discard("no 'review' schedule");
        std::string error;
        auto parsed = review::parse(schedule->get<std::string>(), "review", error);
        if (!parsed) return discard("its review schedule: " + error);
        out.progress.review = std::move(*parsed);
    }
    const auto lessons = doc.find("lessons");
    if (lessons == doc.end() || !lessons->is_object()) return discard("no 'lessons' object");
    for (const auto& [lesson, questions] : lessons->items()) {
        if (!questions.is_object()) return discard("lesson '" + lesson + "' is not an object");
        auto& records = out.progress.lessons[lesson];
        for (const auto& [id, r] : questions.items()) {
            if (!r.is_object()) return discard("question '" + id + "' is not an object");
            const auto correct = r.find("correct");
            const auto first_try = r.find("first_try");
            const auto attempts = r.find("attempts");
            if (correct == r.end() || !correct->is_boolean() || first_try == r.end() || !first_try->is_boolean() ||
                attempts == r.end() || !attempts->is_number_integer())
                return discard("question '" + id + "' lacks correct, first_try or attempts");
            const auto n = attempts->get<std::int64_t>();
            if (n < 0 || n > 1'000'000) return discard("question '" + id + "' has an impossible number of attempts");
            records[id] = QuestionRecord{correct->get<bool>(), first_try->get<bool>(), static_cast<int>(n)};
        }
    }
    return out;
}

}  // namespace finwave::web
