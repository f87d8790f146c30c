#include "finwave/review.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace finwave::review {

namespace {

constexpr const char* kHeader = "finwave-quiz-review";
constexpr int kVersion = 1;

// Howard Hinnant's days_from_civil / civil_from_days.
long days_from_civil(long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

}  // namespace

int interval_days(int box_after) {
    static const int days[] = {0, 0, 1, 3, 7, 14, 30};
    return days[box_after < 1 ? 1 : box_after > 6 ? 6 : box_after];
}

void record_answer(Card& c, bool right, long today) {
    if (right) {
        ++c.right;
        c.box = std::min(c.box + 1, 5);
        c.due = today + interval_days(c.box);
    } else {
        ++c.wrong;
        c.box = 1;
        c.due = today;
    }
}

std::size_t due_count(const Schedule& s, long today) {
    return static_cast<std::size_t>(std::count_if(s.cards.begin(), s.cards.end(), [&](const auto& kv) { return kv.second.due <= today; }));
}

std::optional<long> parse_date(const std::string& s) {
    int y = 0, m = 0, d = 0;
    char a = 0, b = 0, extra = 0;
    if (std::sscanf(s.c_str(), "%4d%c%2d%c%2d%c", &y, &a, &m, &b, &d, &extra) != 5 || a != '-' || b != '-') return std::nullopt;
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    const long days = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    if (format_date(days) != s) return std::nullopt;  // 2026-02-31 and the like
    return days;
}

std::string format_date(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long y = static_cast<long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04ld-%02u-%02u", y + (m <= 2), m, d);
    return buf;
}

std::optional<Schedule> parse(const std::string& text, const std::string& source, std::string& error) {
    Schedule f;
    std::istringstream in(text);
    std::string line;
    int n = 0;
    bool header = false;
    while (std::getline(in, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ls(line);
        std::string word;
        ls >> word;
        if (!header) {
            int version = 0;
            if (word != kHeader || !(ls >> version)) {
                error = source + ":" + std::to_string(n) + ": not a FinWave quiz review file (it should start with '" + kHeader + " " +
                        std::to_string(kVersion) + "')";
                return std::nullopt;
            }
            if (version != kVersion) {
                error = source + ":" + std::to_string(n) + ": review file version " + std::to_string(version) + ", this finwave reads version " +
                        std::to_string(kVersion);
                return std::nullopt;
            }
            header = true;
            continue;
        }
        std::string box_w, due_w, right_w, wrong_w, date, rest;
        Card c;
        const std::string id = word;
        if (!(ls >> box_w >> c.box >> due_w >> date >> right_w >> c.right >> wrong_w >> c.wrong) || box_w != "box" || due_w != "due" ||
            right_w != "right" || wrong_w != "wrong" || (ls >> rest) || c.box < 1 || c.box > 5 || c.right < 0 || c.wrong < 0) {
            error = source + ":" + std::to_string(n) + ": expected 'ID box 1-5 due YYYY-MM-DD right N wrong N', found '" + line + "'";
            return std::nullopt;
        }
        auto d = parse_date(date);
        if (!d) {
            error = source + ":" + std::to_string(n) + ": '" + date + "' is not a date (YYYY-MM-DD)";
            return std::nullopt;
        }
        c.due = *d;
        f.cards[id] = c;
    }
    if (!header && n > 0) {
        error = source + ":1: not a FinWave quiz review file (it should start with '" + std::string(kHeader) + " 1')";
        return std::nullopt;
    }
    return f;
}

std::string serialize(const Schedule& s) {
    std::ostringstream out;
    out << kHeader << ' ' << kVersion << "\n# one card a line: what it is, its Leitner box, when it is due, how it went\n";
    for (const auto& [id, c] : s.cards)
        out << id << " box " << c.box << " due " << format_date(c.due) << " right " << c.right << " wrong " << c.wrong << '\n';
    return out.str();
}

}  // namespace finwave::review
