#include "review.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace finwave {

long today_days() {
    using namespace std::chrono;
    return static_cast<long>(duration_cast<hours>(system_clock::now().time_since_epoch()).count() / 24);
}

std::string default_review_path() {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    std::filesystem::path base = xdg && *xdg ? std::filesystem::path(xdg) : std::filesystem::path(home ? home : ".") / ".local" / "share";
    return (base / "finwave" / "quiz-review.txt").string();
}

std::optional<review::Schedule> load_review(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (!std::filesystem::exists(path)) return review::Schedule{};
        error = path + ": cannot be read";
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return review::parse(text.str(), path, error);
}

bool save_review(const std::string& path, const review::Schedule& s, std::string& error) {
    std::error_code ec;
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) {
            error = path + ": cannot be written";
            return false;
        }
        out << review::serialize(s);
        if (!out.flush()) {
            error = path + ": cannot be written";
            return false;
        }
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        error = path + ": cannot be written (" + ec.message() + ")";
        return false;
    }
    return true;
}

}  // namespace finwave
