// `finwave practice`: generated exercises, printed as JSON lines for tools
// or as text for a reader.
#include <iostream>
#include <string>
#include <vector>

#include "finwave/practice.hpp"
#include "finwave/ui_strings.hpp"
#include "quiz.hpp"

namespace finwave {

namespace {

bool parse_number(const std::string& s, std::uint64_t& out) {
    if (s.empty() || s.size() > 20) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    try {
        out = std::stoull(s);
    } catch (const std::exception&) {
        return false;
    }
    return true;
}

}  // namespace

std::optional<PracticeOptions> parse_practice_options(const std::vector<std::string>& args, std::vector<std::string>& rest,
                                                      std::string& error) {
    PracticeOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto number = [&](std::uint64_t& out, const char* what) {
            if (i + 1 >= args.size() || !parse_number(args[i + 1], out)) {
                error = std::string(what) + " takes a whole number";
                return false;
            }
            ++i;
            return true;
        };
        if (a == "--count") {
            if (!number(o.count, "--count")) return std::nullopt;
        } else if (a == "--seed") {
            if (!number(o.seed, "--seed")) return std::nullopt;
            o.seed_given = true;
        } else if (a == "--level") {
            std::uint64_t l = 0;
            if (!number(l, "--level")) return std::nullopt;
            if (l < 1 || l > 3) {
                error = "--level takes 1, 2 or 3";
                return std::nullopt;
            }
            o.level = static_cast<int>(l);
        } else {
            rest.push_back(a);
        }
    }
    return o;
}

int cmd_practice(const std::vector<std::string>& args, std::ostream& out) {
    std::vector<std::string> rest;
    std::string error;
    auto o = parse_practice_options(args, rest, error);
    if (!o) {
        std::cerr << "finwave: " << error << '\n';
        return 2;
    }
    bool json = false;
    std::string lang = "en";
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == "--json") json = true;
        else if (rest[i] == "--lang" && i + 1 < rest.size() && i18n::parse_lang(rest[i + 1])) lang = rest[++i];
        else {
            std::cerr << "finwave: practice takes --count N, --seed S, --level 1|2|3, --lang en|zh and --json; got '" << rest[i] << "'\n";
            return 2;
        }
    }
    const i18n::Words w(*i18n::parse_lang(lang));
    for (std::uint64_t i = 0; i < o->count; ++i) {
        std::optional<practice::Exercise> generated;
        try {
            generated = practice::generate(o->seed + i, o->level);
        } catch (const std::exception& e) {
            // Not expected (a seed always finds a story), but never a crash.
            std::cerr << "finwave: seed " << o->seed + i << ": " << e.what() << '\n';
            return 1;
        }
        const practice::Exercise& ex = *generated;
        const Simulation sim = practice::simulate(ex);
        if (json) {
            out << practice::to_json(ex, sim) << '\n';
            continue;
        }
        // For a reader checking exercises: everything, the answer included.
        show_generated(ex, w, out);
        const auto& why = w.lang() == i18n::Lang::Zh ? ex.why.zh : ex.why.en;
        std::string answer = ex.answer;
        for (const auto& c : ex.choices)
            if (c.value == ex.answer) answer = w.lang() == i18n::Lang::Zh ? c.text.zh : c.text.en;
        out << "  = " << answer << "  (" << to_string(ex.story_template) << ", " << to_string(ex.kind) << ")\n  " << why << "\n  "
            << w("cli_practice.lesson", {ex.lesson}) << "\n";
    }
    return 0;
}

}  // namespace finwave
