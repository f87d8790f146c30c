#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "read_file.hpp"

#include "finwave/builtin.hpp"
#include "finwave/event_text.hpp"

using namespace finwave;
using namespace finwave::i18n;

namespace {

// Keys only the non-English tables hold: their English is in the data
// itself (a scenario file's description, a transition row's note).
bool english_in_data(const std::string& key) { return key.starts_with("scenario.") || key.starts_with("edge."); }

// Every value of an enum whose to_string() answers "?" past its end.
template <typename E>
std::vector<E> all_values() {
    std::vector<E> out;
    for (int i = 0; i < 256 && std::string(to_string(static_cast<E>(i))) != "?"; ++i) out.push_back(static_cast<E>(i));
    return out;
}

void require_key(const std::string& key) {
    for (Lang l : {Lang::En, Lang::Zh})
        CHECK_MESSAGE(builtin_strings().has(l, key), "strings/" << lang_code(l) << ".txt lacks '" << key << "'");
}

}  // namespace

TEST_CASE("string tables: both parse, and every key is in both languages") {
    for (Lang l : {Lang::En, Lang::Zh}) {
        UiStrings s;
        const std::string file = std::string(lang_code(l)) + ".txt";
        const auto problems = s.load(l, finwave::repo::read_file(std::filesystem::path(FINWAVE_REPO_ROOT) / "strings" / file), file);
        CHECK_MESSAGE(problems.empty(), (problems.empty() ? "" : problems.front()));
    }
    const UiStrings& s = builtin_strings();
    CHECK(s.keys(Lang::En).size() > 300);
    for (const auto& k : s.keys(Lang::En)) CHECK_MESSAGE(s.has(Lang::Zh, k), "strings/zh.txt lacks '" << k << "'");
    for (const auto& k : s.keys(Lang::Zh))
        if (!english_in_data(k)) CHECK_MESSAGE(s.has(Lang::En, k), "strings/en.txt lacks '" << k << "'");
}

TEST_CASE("string tables: every identifier the engine reports has its words") {
    for (Cause c : all_values<Cause>()) require_key(std::string("cause.") + to_string(c));
    for (Note n : all_values<Note>()) require_key(std::string("note.") + to_string(n));
    for (Notice n : all_values<Notice>()) require_key(std::string("event.notice.") + to_string(n));
    for (AppError e : all_values<AppError>()) require_key(std::string("app_error.") + to_string(e));
    for (EventKind k : all_values<EventKind>()) require_key(std::string("trace.kind.") + to_string(k));
    for (int k = 0; k < kTimerCount; ++k) require_key(std::string("timer.") + to_string(static_cast<TimerKind>(k)));
    for (const KnobInfo& k : knob_catalog()) {
        require_key("knob." + k.name);
        require_key("knob." + k.name + ".help");
    }
    CHECK(all_values<Cause>().size() >= 17);
    CHECK(all_values<Note>().size() >= 25);
}

TEST_CASE("string tables: built-in scenarios and transition notes have their Chinese") {
    const Words zh(Lang::Zh);
    for (const BuiltinScenario& b : builtin_scenarios()) {
        CHECK_MESSAGE(zh.has("scenario." + std::string(b.name)), "strings/zh.txt lacks 'scenario." << b.name << "'");
        CHECK_MESSAGE(zh.has("scenario." + std::string(b.name) + ".description"),
                      "strings/zh.txt lacks 'scenario." << b.name << ".description'");
    }
    for (const BuiltinScenario& b : builtin_host_scenarios()) {
        CHECK_MESSAGE(zh.has("scenario." + std::string(b.name)), "strings/zh.txt lacks 'scenario." << b.name << "'");
        CHECK_MESSAGE(zh.has("scenario." + std::string(b.name) + ".description"),
                      "strings/zh.txt lacks 'scenario." << b.name << ".description'");
    }
    for (const Transition& t : transition_table())
        if (*t.note) CHECK_MESSAGE(zh.has(edge_key(t)), "strings/zh.txt lacks '" << edge_key(t) << "' (" << std::string(t.note) << ")");
}

TEST_CASE("string tables: zh values use full-width punctuation") {
    // A comma, colon, semicolon, question or exclamation mark, or a period
    // that ends a sentence, written in ASCII right after a Chinese character.
    const Words zh(Lang::Zh);
    for (const auto& key : builtin_strings().keys(Lang::Zh)) {
        const std::string& v = zh(key);
        for (std::size_t i = 3; i < v.size(); ++i) {
            const char c = v[i];
            if (c != ',' && c != ':' && c != ';' && c != '?' && c != '!' && c != '.') continue;
            const auto lead = static_cast<unsigned char>(v[i - 3]);
            const bool after_cjk = lead >= 0xE4 && lead <= 0xE9;  // U+4E00..U+9FFF take three bytes led by E4..E9
            CHECK_MESSAGE(!after_cjk, "strings/zh.txt '" << key << "': ASCII '" << c << "' after a Chinese character: " << v);
        }
    }
}
