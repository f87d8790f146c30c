// The engine reports identifiers; sentences for people live in strings/.
// This scans the engine's sources for string literals that read like
// English sentences (two words of three letters or more).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "read_file.hpp"

namespace {

// Files whose English is not for learners, each for a stated reason:
const std::set<std::string> kAuthorFacing = {
    // the scenario language's parser: diagnostics for authors of scenario
    // files and of --set, like a compiler's (file:line: message)
    "scenario.cpp",
    "scenario_segments.cpp",
    "builtin.cpp",
    "host_config.cpp",  // the scenario language's workload and host lines
    // a scenario's own 'expect' lines that failed, as file:line: diagnostics
    // for its author; only the CLI reports them (stderr)
    "expectations.cpp",
    // problems of a run (an invariant broken, a scripted call that failed),
    // for developers and scenario authors; the CLI prints them to stderr
    "simulation.cpp",
    // the transition table's notes are data, like a scenario file's
    // description: English there, zh.txt keys them by edge (edge.*)
    "transitions.cpp",
};

// Assertions and broken sequence-space invariants: messages for developers.
bool developer_only(const std::string& line) {
    return line.find("assert(") != std::string::npos || line.find("invariant") != std::string::npos;
}

}  // namespace

TEST_CASE("engine sources hold no sentence for people outside the string tables") {
    const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
    const std::regex sentence(R"re([A-Za-z]{3,}[ ,:;']+[A-Za-z]{3,})re");
    const std::filesystem::path root = std::filesystem::path(FINWAVE_REPO_ROOT) / "engine";
    int files = 0;
    for (const auto& dir : {root / "src", root / "include" / "finwave"}) {
        for (const auto& f : std::filesystem::directory_iterator(dir)) {
            const std::string name = f.path().filename().string();
            if (kAuthorFacing.contains(name)) continue;
            ++files;
            std::istringstream lines(finwave::repo::read_file(f.path()));
            std::string line;
            bool in_invariants = false;
            bool in_static_assert = false;  // a compile-time check's message, for developers
            for (int number = 1; std::getline(lines, line); ++number) {
                const auto comment = line.find("//");
                const std::string code = line.substr(0, comment);
                if (code.find("invariant_violation") != std::string::npos) in_invariants = true;
                if (in_invariants && code.starts_with("}")) in_invariants = false;
                if (code.find("static_assert(") != std::string::npos) in_static_assert = true;
                if (in_static_assert) {
                    if (code.find(");") != std::string::npos) in_static_assert = false;
                    continue;
                }
                if (in_invariants || developer_only(code)) continue;
                for (std::sregex_iterator it(code.begin(), code.end(), literal), end; it != end; ++it) {
                    const std::string text = (*it)[1];
                    CHECK_MESSAGE(!std::regex_search(text, sentence),
                                  "engine/" << dir.filename().string() << "/" << name << ":" << number << ": \"" << text
                                            << "\" reads like a sentence: give it an identifier and a line in strings/en.txt + zh.txt");
                }
            }
        }
    }
    CHECK(files > 10);
}
