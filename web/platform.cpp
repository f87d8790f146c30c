#include "platform.hpp"

#include <emscripten.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

// Where the learner's state is kept: localStorage, unless the page hands the
// module another store with the same getItem/setItem (web/page/scorm.js does
// inside an LMS, whose learner record then holds it).
//
// Strings from JS come back malloc'd (allocateUTF8); a leading \x01 marks an error.
EM_JS(char*, fw_storage_get, (const char* key), {
    try {
        var value = (Module['finwaveStorage'] || window.localStorage).getItem(UTF8ToString(key));
        return value === null ? 0 : allocateUTF8(value);
    } catch (e) {
        return allocateUTF8(String.fromCharCode(1) + (e && e.name ? e.name : String(e)));
    }
});

EM_JS(char*, fw_storage_set, (const char* key, const char* value), {
    try {
        (Module['finwaveStorage'] || window.localStorage).setItem(UTF8ToString(key), UTF8ToString(value));
        return 0;
    } catch (e) {
        return allocateUTF8(e && e.name ? e.name : String(e));
    }
});

// The URL, or where the learner left off when the URL names no place: the
// app's own "?lesson=..&step=.." kept by fw_replace_query. A place is a
// lesson and step, a free-play scenario or a practice exercise (its seed
// and level): the same keys as platform_native.cpp's kPlaceKeys.
EM_JS(char*, fw_location_search, (), {
    var search = String(window.location.search || "");
    // A share link's lesson (web/share_link.js) opens in its own language,
    // whatever was saved; the URL may still name a step or the quiz mode.
    var share = Module['finwaveShare'];
    if (share) {
        var shared = new URLSearchParams(search);
        shared.set("lang", share.lang);
        if (share.lesson) shared.set("lesson", share.lesson);
        return allocateUTF8("?" + shared.toString());
    }
    try {
        var params = new URLSearchParams(search);
        var places = ["lesson", "step", "scenario", "practice", "level"];
        if (!places.some(function (key) { return params.has(key); })) {
            var saved = (Module['finwaveStorage'] || window.localStorage).getItem("finwave.place");
            if (saved) {
                new URLSearchParams(saved).forEach(function (value, key) {
                    if (places.indexOf(key) >= 0) params.set(key, value);
                });
                search = "?" + params.toString();
            }
        }
    } catch (e) {
        // No storage, or nothing readable in it: the URL alone.
    }
    return allocateUTF8(search);
});

// The app's parameters (web/model/startup.hpp) are replaced; any other one
// is the page's (an embedder's origin=, an LMS's own) and stays as it was.
EM_JS(void, fw_replace_query, (const char* query), {
    var own = ["lang", "lesson", "step", "mode", "profile", "scenario", "embed", "question", "practice", "level"];
    var next = new URLSearchParams(UTF8ToString(query));
    try {
        new URLSearchParams(window.location.search).forEach(function (value, key) {
            if (own.indexOf(key) < 0) next.append(key, value);
        });
        window.history.replaceState(null, "", "?" + next.toString() + window.location.hash);
    } catch (e) {
        // A page that may not change its URL (a sandboxed frame) just keeps it.
    }
    // A shared lesson is not the site's: the next visit opens where the
    // learner was in the site's own lessons.
    if (Module['finwaveShare']) return;
    try {
        var place = new URLSearchParams();
        ["lesson", "step", "scenario", "practice", "level"].forEach(function (key) {
            if (next.has(key)) place.set(key, next.get(key));
        });
        (Module['finwaveStorage'] || window.localStorage).setItem("finwave.place", place.toString());
    } catch (e) {
        // Saving the progress says so when storage refuses; this is worth no second note.
    }
});

EM_JS(char*, fw_browser_language, (), { return allocateUTF8(String(navigator.language || "")); });

EM_JS(void, fw_open_url, (const char* url), {
    var href = UTF8ToString(url);
    // Only web links: a lesson must not be able to run script through a link.
    if (/^https?:/i.test(href)) window.open(href, '_blank', 'noopener');
});

EM_JS(void, fw_set_tooltip_open, (int open), { document.body.classList.toggle("tooltip-open", !!open); });

std::string take(char* s) {
    if (s == nullptr) return {};
    std::string out(s);
    std::free(s);
    return out;
}

}  // namespace

namespace finwave::web::platform {

void set_tooltip_open(bool open) { fw_set_tooltip_open(open ? 1 : 0); }

std::optional<std::string> storage_get(const char* key, std::string& error) {
    char* raw = fw_storage_get(key);
    if (raw == nullptr) return std::nullopt;
    std::string value = take(raw);
    if (!value.empty() && value.front() == '\x01') {
        error = value.substr(1);
        return std::nullopt;
    }
    return value;
}

bool storage_set(const char* key, const std::string& value, std::string& error) {
    char* raw = fw_storage_set(key, value.c_str());
    if (raw == nullptr) return true;
    error = take(raw);
    return false;
}

std::string location_search() { return take(fw_location_search()); }

void replace_query(const std::string& query) { fw_replace_query(query.c_str()); }

std::string browser_language() { return take(fw_browser_language()); }

void open_url(const std::string& url) { fw_open_url(url.c_str()); }

std::optional<std::string> read_file(const std::string& path) {
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) return std::nullopt;
    std::string out;
    char buf[8192];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) out.append(buf, n);
    return out;
}

}  // namespace finwave::web::platform
