// finwave: the command-line face of the close-state engine.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "finwave/builtin.hpp"
#include "finwave/lesson.hpp"
#include "lesson_files.hpp"
#include "quiz.hpp"
#include "finwave/simulation.hpp"
#include "finwave/event_text.hpp"
#include "finwave/trace.hpp"
#include "pcap_out.hpp"
#include "host_run.hpp"

namespace {

using namespace finwave;

constexpr const char* kUsage = R"(usage:
  finwave scenarios [--busy]             list the built-in scenarios (--busy: the busy-host
                                         ones, for finwave run NAME --summary)
  finwave run NAME|FILE [options]        run a scenario and print its trace
      --profile linux|rfc                defaults to the scenario's profile, else linux
      --set KNOB=VALUE                   override a knob (repeatable)
      --trace text|jsonl                 output format (default text)
      --seed N                           seed for ISNs and random loss (default 1)
      --lang en|zh                       language of the text listing; with jsonl,
                                         adds a "text" field in that language
      --pcap OUT.pcap                    also write what tcpdump -w on one host would have
                                         recorded (Ethernet, IPv4, virtual-clock times);
                                         OUT "-": the capture to stdout instead of the trace
      --capture-at client|server         the host of the capture (default client)
      --ipv6                             IPv6 instead of IPv4 in the capture
      --summary [--every TIME]           busy-host scenarios (a workload line): per-state
                                         socket counts over time, like ss -s (default every 1s)
  finwave lessons check [DIR|FILE...]    validate lessons and prove every answer with the engine
                                         (default DIR: lessons)
  finwave quiz [--lang en|zh] [--lesson ID] [--dir DIR]
                                         practise the lessons' questions in the terminal
  finwave quiz --practice [--count N] [--seed S] [--level 1|2|3] [--lang en|zh]
               [--progress FILE] [--today YYYY-MM-DD]
                                         generated exercises and due lesson questions,
                                         with a spaced-review schedule kept in FILE
  finwave practice [--count N] [--seed S] [--level 1|2|3] [--json] [--lang en|zh]
                                         print generated exercises with their answers
                                         (JSON: one per line, both languages)
  finwave knobs [--profile linux|rfc] [--lang en|zh]
                                         list every knob with its default
  finwave table [--lang en|zh]           print the RFC 9293 transition table
  finwave scenarios [--lang en|zh]       (as above, in that language)
)";

int usage_error(const std::string& message) {
    std::cerr << "finwave: " << message << "\n\n" << kUsage;
    return 2;
}

// "--lang zh" in args: removed from args, returned; nothing given: English.
std::optional<i18n::Lang> take_lang(std::vector<std::string>& args, bool& bad) {
    bad = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] != "--lang") continue;
        const auto lang = i + 1 < args.size() ? i18n::parse_lang(args[i + 1]) : std::nullopt;
        if (!lang) {
            bad = true;
            return std::nullopt;
        }
        args.erase(args.begin() + static_cast<std::ptrdiff_t>(i), args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
        return lang;
    }
    return std::nullopt;
}

int cmd_scenarios(std::vector<std::string> args) {
    bool bad = false;
    const i18n::Words w(take_lang(args, bad).value_or(i18n::Lang::En));
    if (bad) return usage_error("--lang takes en or zh");
    // The busy-host ones apart: they run with --summary, not as one trace.
    const bool busy = std::erase(args, std::string("--busy")) > 0;
    if (!args.empty()) return usage_error("scenarios takes only --busy and --lang en|zh");
    for (const auto& b : busy ? builtin_host_scenarios() : builtin_scenarios()) {
        auto parsed = parse_scenario(b.text, b.name);
        const std::string desc = std::holds_alternative<Scenario>(parsed) ? std::get<Scenario>(parsed).description : "(does not parse)";
        std::cout << b.name << "  " << i18n::scenario_description(b.name, desc, w) << '\n';
    }
    return 0;
}

int cmd_run(std::vector<std::string> args) {
    bool bad_lang = false;
    const auto lang = take_lang(args, bad_lang);
    if (bad_lang) return usage_error("--lang takes en or zh");
    const i18n::Words w(lang.value_or(i18n::Lang::En));
    std::string target;
    std::optional<Profile> profile;
    std::vector<std::pair<std::string, std::string>> overrides;
    std::string format = "text";
    std::uint64_t seed = 1;
    bool seed_given = false;
    std::string pcap_path;
    std::optional<Side> capture_at;
    bool ipv6 = false;
    bool summary = false;
    std::optional<Duration> every;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* opt) -> std::optional<std::string> {
            if (i + 1 >= args.size()) return std::nullopt;
            (void)opt;
            return args[++i];
        };
        if (a == "--profile") {
            auto v = value("--profile");
            if (!v || !parse_profile(*v)) return usage_error("--profile takes linux or rfc");
            profile = parse_profile(*v);
        } else if (a == "--set") {
            auto v = value("--set");
            const auto eq = v ? v->find('=') : std::string::npos;
            if (!v || eq == std::string::npos || eq == 0) return usage_error("--set takes KNOB=VALUE, e.g. --set fin_timeout=3s");
            overrides.emplace_back(v->substr(0, eq), v->substr(eq + 1));
        } else if (a == "--trace") {
            auto v = value("--trace");
            if (!v || (*v != "text" && *v != "jsonl")) return usage_error("--trace takes text or jsonl");
            format = *v;
        } else if (a == "--seed") {
            auto v = value("--seed");
            try {
                std::size_t used = 0;
                if (!v) throw std::invalid_argument("missing");
                seed = std::stoull(*v, &used);
                if (used != v->size()) throw std::invalid_argument("junk");
            } catch (const std::exception&) {
                return usage_error("--seed takes a whole number");
            }
            seed_given = true;
        } else if (a == "--pcap") {
            auto v = value("--pcap");
            if (!v || v->empty()) return usage_error("--pcap takes a file name, e.g. --pcap close.pcap");
            pcap_path = *v;
        } else if (a == "--capture-at") {
            auto v = value("--capture-at");
            capture_at = v ? capture::parse_capture_point(*v) : std::nullopt;
            if (!capture_at) return usage_error("--capture-at takes client or server");
        } else if (a == "--ipv6") {
            ipv6 = true;
        } else if (a == "--summary") {
            summary = true;
        } else if (a == "--every") {
            auto v = value("--every");
            every = v ? parse_duration(*v) : std::nullopt;
            if (!every || every->us <= 0) return usage_error("--every takes a time above 0 with a unit, e.g. --every 500ms");
        } else if (!a.empty() && a[0] == '-') {
            return usage_error("unknown option '" + a + "'");
        } else if (target.empty()) {
            target = a;
        } else {
            return usage_error("run takes one scenario, got '" + target + "' and '" + a + "'");
        }
    }
    if (target.empty()) return usage_error("run needs a scenario name or file");
    if (pcap_path.empty() && (capture_at || ipv6)) return usage_error("--capture-at and --ipv6 describe a capture: add --pcap OUT.pcap");
    const bool pcap_to_stdout = pcap_path == "-";

    std::variant<Scenario, ParseError> parsed;
    if (find_builtin(target)) {
        parsed = load_builtin(target);
    } else if (find_host_builtin(target)) {
        parsed = load_host_builtin(target);
    } else {
        std::string error;
        auto text = read_file(target, error);
        if (!text) {
            std::cerr << "finwave: " << error << " (and there is no built-in scenario of that name; see 'finwave scenarios')\n";
            return 2;
        }
        parsed = parse_scenario(*text, target);
    }
    if (auto* err = std::get_if<ParseError>(&parsed)) {
        std::cerr << "finwave: " << err->to_string() << '\n';
        return 2;
    }
    Scenario& sc = std::get<Scenario>(parsed);
    const Profile p = profile.value_or(sc.profile.value_or(Profile::Linux));
    // A scenario's expectations hold for its own knobs: another profile or a
    // --set makes it a different experiment, whose outcome nobody stated.
    const bool changed = !overrides.empty() || p != sc.profile.value_or(Profile::Linux) || (seed_given && sc.seed && seed != *sc.seed);
    const std::size_t unchecked = changed ? sc.expectations.size() : 0;
    if (changed) sc.expectations.clear();
    auto knobs = resolve_knobs(sc, p, overrides);
    if (auto* err = std::get_if<std::string>(&knobs)) {
        std::cerr << "finwave: " << *err << '\n';
        return 2;
    }
    if (sc.host.any()) {
        // Many connections: no single trace or capture to show, the socket tables instead.
        if (format != "text" || !pcap_path.empty()) return usage_error("a busy-host scenario prints --summary only: --trace jsonl and --pcap need a single connection");
        return cli::run_host_summary(sc, std::get<Knobs>(knobs), p, seed_given ? seed : sc.seed.value_or(seed), every, std::cout, std::cerr);
    }
    if (summary || every) return usage_error("--summary is for busy-host scenarios (those with a 'workload' line, e.g. busy-client-closes-first)");
    Simulation sim(sc, std::get<Knobs>(knobs), seed_given ? seed : sc.seed.value_or(seed));
    sim.run();
    std::size_t frames = 0;
    if (!pcap_path.empty()) {
        const auto options = capture::default_options(capture_at.value_or(Side::Client), ipv6 ? capture::IpVersion::V6 : capture::IpVersion::V4);
        if (auto err = write_pcap(pcap_path, sim.trace(), options, frames); !err.empty()) {
            std::cerr << "finwave: " << err << '\n';
            return 2;
        }
    }
    if (pcap_to_stdout) {
        // The capture took stdout: nothing else may go there.
    } else if (format == "jsonl") {
        if (lang) i18n::write_jsonl_with_text(std::cout, sim.trace(), w);
        else write_jsonl(std::cout, sim.trace());
    } else {
        std::cout << "# " << w("cli.run_head", {sc.name, to_string(p), std::to_string(sim.seed())}) << '\n';
        if (!sc.description.empty()) std::cout << "# " << i18n::scenario_description(sc.name, sc.description, w) << '\n';
        i18n::write_text(std::cout, sim.trace(), w);
        std::cout << "# "
                  << w("cli.run_end", {format_instant(sim.now()), to_string(sim.endpoint(Side::Client).state()),
                                       to_string(sim.endpoint(Side::Server).state())})
                  << '\n';
    }
    for (const auto& e : sim.script_errors()) std::cerr << "finwave: " << e << '\n';
    for (const auto& pr : sim.problems()) std::cerr << "finwave: engine invariant: " << pr << '\n';
    for (const auto& f : sim.expectation_failures()) std::cerr << "finwave: " << f << '\n';
    if (format == "text" && !pcap_path.empty() && !pcap_to_stdout)
        std::cout << "# " << w(capture_at.value_or(Side::Client) == Side::Client ? "cli.capture_written.client" : "cli.capture_written.server",
                               {std::to_string(frames), pcap_path})
                  << '\n';
    if (format == "text" && !pcap_to_stdout && sim.expectations_total() > 0)
        std::cout << "# expectations: " << sim.expectations_passed() << " of " << sim.expectations_total() << " hold\n";
    if (format == "text" && !pcap_to_stdout && unchecked > 0)
        std::cout << "# expectations: " << unchecked << " not checked (they are stated for the scenario's own profile and knobs)\n";
    return sim.problems().empty() && sim.expectation_failures().empty() ? 0 : 1;
}

// Reads and parses every lesson under `roots` (folders hold one folder per
// language: en/, zh/). Problems go to `problems`.
int cmd_lessons_check(const std::vector<std::string>& args) {
    LessonSet set = load_lessons(args.empty() ? std::vector<std::string>{"lessons"} : args);
    if (!set.fatal.empty()) {
        std::cerr << "finwave: " << set.fatal << '\n';
        return 2;
    }
    std::vector<std::string> problems = set.problems;
    std::size_t questions_total = 0;
    for (const auto& [id, per_lang] : set.by_id) {
        const Lesson& first = per_lang.begin()->second;
        for (const auto& [lang, l] : per_lang)
            for (auto& p : verify_lesson(l)) problems.push_back(std::move(p));
        for (const auto& st : first.steps) questions_total += st.questions.size();
        for (const auto& lang : set.languages)
            if (!per_lang.count(lang)) problems.push_back(first.file + ":1: lesson '" + id + "' has no " + lang + " version");
        for (const auto& [lang, l] : per_lang)
            if (&l != &first)
                for (auto& p : compare_translations(first, l)) problems.push_back(std::move(p));
    }
    for (const auto& p : problems) std::cout << p << '\n';
    std::cout << set.by_id.size() << " lessons, " << questions_total << " questions, ";
    if (problems.empty()) {
        std::cout << "all answers verified\n";
        return 0;
    }
    std::cout << problems.size() << (problems.size() == 1 ? " problem\n" : " problems\n");
    return 1;
}

int cmd_knobs(std::vector<std::string> args) {
    bool bad = false;
    const i18n::Words w(take_lang(args, bad).value_or(i18n::Lang::En));
    if (bad) return usage_error("--lang takes en or zh");
    Profile p = Profile::Linux;
    if (args.size() == 2 && args[0] == "--profile" && parse_profile(args[1])) p = *parse_profile(args[1]);
    else if (!args.empty()) return usage_error("knobs takes only --profile linux|rfc and --lang en|zh");
    const Knobs k = defaults_for(p);
    for (const auto& info : knob_catalog())
    {
        std::cout << info.name << "=" << *get_knob(k, info.name) << "  ";
        if (w.lang() != i18n::Lang::En) std::cout << i18n::knob_label(info, w) << w("cli.knob_sep");
        std::cout << i18n::knob_help(info, w) << '\n';
    }
    return 0;
}

int cmd_table(std::vector<std::string> args) {
    bool bad = false;
    const i18n::Words w(take_lang(args, bad).value_or(i18n::Lang::En));
    if (bad) return usage_error("--lang takes en or zh");
    if (!args.empty()) return usage_error("table takes only --lang en|zh");
    for (const auto& t : transition_table()) {
        std::cout << (t.from ? to_string(*t.from) : w("cli.any_state")) << "  --" << i18n::cause_text(t.cause, w) << "-->  " << to_string(t.to);
        if (*t.action) std::cout << "  " << w("cli.sends", {t.action});
        if (*t.note) std::cout << "  " << w("cli.edge_note", {i18n::edge_note(t, w)});
        if (t.linux_only) std::cout << "  [" << w("diagram.linux_only") << "]";
        std::cout << '\n';
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        std::cout << kUsage;
        return args.empty() ? 2 : 0;
    }
    const std::string cmd = args[0];
    args.erase(args.begin());
    if (cmd == "scenarios") return cmd_scenarios(args);
    if (cmd == "run") return cmd_run(args);
    if (cmd == "knobs") return cmd_knobs(args);
    if (cmd == "quiz") return cmd_quiz(args, std::cin, std::cout);
    if (cmd == "practice") return cmd_practice(args, std::cout);
    if (cmd == "lessons") {
        if (args.empty() || args[0] != "check") return usage_error("expected 'lessons check'");
        return cmd_lessons_check({args.begin() + 1, args.end()});
    }
    if (cmd == "table") return cmd_table(args);
    return usage_error("unknown command '" + cmd + "'");
}
