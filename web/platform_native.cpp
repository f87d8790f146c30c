// The platform layer on the desktop: files where the browser has
// localStorage and the page's URL, the locale for the browser's language,
// the desktop's browser for links.
#include <SDL.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string_view>
#include <system_error>
#include <vector>

#include "platform.hpp"
#include "platform_native.hpp"

namespace fs = std::filesystem;

namespace finwave::web::platform {

namespace {

NativeSettings& settings() {
    static NativeSettings s = [] {
        NativeSettings d;
        d.data_dir = default_data_dir();
        d.progress_file = d.data_dir / "progress.json";
        return d;
    }();
    return s;
}

constexpr std::string_view kProgressKey = "finwave.progress";
// Where the learner left off, as the browser keeps it (platform.cpp): the
// place parameters of the app's query string, nothing else.
constexpr std::string_view kPlaceFile = "place";
// A lesson and step, a free-play scenario or a practice exercise (web/platform.cpp's list too).
constexpr std::string_view kPlaceKeys[] = {"lesson", "step", "scenario", "practice", "level"};

bool is_place(std::string_view pair) {
    const std::string_view key = pair.substr(0, pair.find('='));
    for (std::string_view k : kPlaceKeys)
        if (key == k) return true;
    return false;
}

// The pairs of a query string ("?a=1&b=2" or "a=1&b=2"), still encoded.
std::vector<std::string_view> pairs_of(std::string_view query) {
    std::vector<std::string_view> out;
    if (!query.empty() && query.front() == '?') query.remove_prefix(1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        if (amp != 0) out.push_back(query.substr(0, amp));
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

// One file per key: the progress where the learner (or --progress) says,
// anything else (the language) beside it, named after the key.
fs::path file_for(std::string_view key) {
    if (key == kProgressKey) return settings().progress_file;
    std::string name(key);
    if (name.rfind("finwave.", 0) == 0) name.erase(0, 8);
    return settings().data_dir / name;
}

std::string reason(const std::error_code& ec, const fs::path& path) { return path.string() + ": " + ec.message(); }

// Nothing when the file is absent; `error` when it exists and cannot be read.
std::optional<std::string> read_text(const fs::path& path, std::string& error) {
    errno = 0;
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) {
        if (errno != ENOENT) error = path.string() + ": " + std::strerror(errno);
        return std::nullopt;
    }
    std::string out;
    char buf[8192];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) out.append(buf, n);
    if (std::ferror(f.get()) != 0) {
        error = path.string() + ": " + std::strerror(errno != 0 ? errno : EIO);
        return std::nullopt;
    }
    return out;
}

// Written beside and renamed over the old file, so that a crash or a full
// disk mid-write leaves the previous progress, never half of the new one.
bool write_text(const fs::path& path, const std::string& text, std::string& error) {
    std::error_code ec;
    if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
    if (ec) {
        error = reason(ec, path.parent_path());
        return false;
    }
    fs::path temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out || !out.write(text.data(), static_cast<std::streamsize>(text.size())) || !out.flush()) {
            error = temporary.string() + ": " + std::strerror(errno != 0 ? errno : EIO);
            fs::remove(temporary, ec);
            return false;
        }
    }
    fs::rename(temporary, path, ec);
    if (ec) {
        error = reason(ec, path);
        fs::remove(temporary, ec);
        return false;
    }
    return true;
}

}  // namespace

fs::path default_data_dir() {
    // XDG: a relative $XDG_DATA_HOME is invalid and must be ignored.
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/') return fs::path(xdg) / "finwave";
    if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0') return fs::path(home) / ".local/share/finwave";
    return fs::current_path() / ".finwave";
}

void configure_native(NativeSettings s) {
    if (s.data_dir.empty()) s.data_dir = default_data_dir();
    if (s.progress_file.empty()) s.progress_file = s.data_dir / "progress.json";
    settings() = std::move(s);
}

std::optional<std::string> storage_get(const char* key, std::string& error) { return read_text(file_for(key), error); }

// Nothing lies over the desktop app's window.
void set_tooltip_open(bool) {}

bool storage_set(const char* key, const std::string& value, std::string& error) { return write_text(file_for(key), value, error); }

// The command line's query; when it names no place (no lesson, step,
// scenario or exercise), the place where the learner was when FinWave last closed, as
// the browser does for a URL without one.
std::string location_search() {
    std::string query = settings().start_query;
    const auto given = pairs_of(query);
    if (std::any_of(given.begin(), given.end(), is_place)) return query;
    std::string ignored;
    const std::string saved = read_text(settings().data_dir / kPlaceFile, ignored).value_or("");
    for (std::string_view pair : pairs_of(saved)) {
        if (!is_place(pair)) continue;
        query += query.empty() ? "?" : "&";
        query += pair;
    }
    return query;
}

void replace_query(const std::string& query) {
    std::string place;
    for (std::string_view pair : pairs_of(query)) {
        if (!is_place(pair)) continue;
        place += place.empty() ? "?" : "&";
        place += pair;
    }
    std::string ignored;  // losing the place is not worth a notice: the progress is what matters
    write_text(settings().data_dir / kPlaceFile, place, ignored);
}

// POSIX precedence for messages: LC_ALL, then LC_MESSAGES, then LANG (GNU's
// LANGUAGE list first of all). "zh_CN.UTF-8" is read like the browser's "zh-CN".
std::string browser_language() {
    for (const char* name : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && value[0] != '\0' && std::string_view(value) != "C" && std::string_view(value) != "POSIX") return value;
    }
    return {};
}

void open_url(const std::string& url) {
    // Only web links: a lesson must not be able to start a program through a link.
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return;
    if (SDL_OpenURL(url.c_str()) != 0) std::fprintf(stderr, "finwave: cannot open %s: %s\n", url.c_str(), SDL_GetError());
}

std::optional<std::string> read_file(const std::string& path) {
    std::string ignored;
    return read_text(path, ignored);
}

}  // namespace finwave::web::platform
