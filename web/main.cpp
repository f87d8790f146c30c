// FinWave in the browser: SDL2 + Dear ImGui on WebGL2.
//
// The desktop loop (web/shell.cpp, also run by web/desktop/main.cpp) handed
// to emscripten_set_main_loop: the browser owns the real loop and calls
// frame() once per animation frame while anything changes on screen. When
// nothing does (Shell::animating), the loop is paused, and resumed by what
// can change the picture: an SDL event (pointer, key, touch, wheel, focus,
// resize), a JS API command (the page, a host's message, the accessible
// view), or the page itself (finwave_api.js: a new device pixel ratio, the
// canvas resized, the tab shown again). main() reads what preload_assets.js
// fetched (fonts, lessons), builds the tutor (web/model/) and the app
// (web/app.cpp), and exports the JS API that finwave_api.js wraps as
// window.finwave.

#include <emscripten.h>
#include <emscripten/html5.h>

#include <SDL.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform.hpp"
#include "shell.hpp"

namespace {

using namespace finwave::web;

// preload_assets.js writes these before main() runs.
constexpr const char* kBodyFontPath = "/assets/fonts/finwave-ui.ttf";
constexpr const char* kMonoFontPath = "/assets/fonts/finwave-mono.ttf";
// Not preloaded: fetched by fetch_fallback_font() the first time a lesson
// needs a character the subset lacks.
constexpr const char* kFallbackFontPath = "/assets/fonts/finwave-fallback.ttf";
constexpr const char* kLessonListPath = "/finwave/lessons.txt";
constexpr const char* kLoadErrorsPath = "/finwave/load-errors.txt";
// SDL's Emscripten backend is hard-wired to this element.
constexpr const char* kCanvasSelector = "#canvas";

Shell g_shell;  // Emscripten calls back with no state of ours; the exported C API needs it too

// The canvas is sized by CSS (it fills the window). Its drawing buffer must be
// CSS size x devicePixelRatio or the browser scales the image and text blurs.
// SDL updates this on the window's resize event only; checking every frame
// also catches a ratio change without a resize (window moved to another screen).
void sync_canvas_size(SDL_Window* window) {
    double css_width = 0;
    double css_height = 0;
    emscripten_get_element_css_size(kCanvasSelector, &css_width, &css_height);
    const double ratio = emscripten_get_device_pixel_ratio();
    int buffer_width = 0;
    int buffer_height = 0;
    emscripten_get_canvas_element_size(kCanvasSelector, &buffer_width, &buffer_height);
    const int want_width = static_cast<int>(std::lround(css_width * ratio));
    const int want_height = static_cast<int>(std::lround(css_height * ratio));
    if (want_width != buffer_width || want_height != buffer_height) {
        // With SDL_WINDOW_ALLOW_HIGHDPI and a CSS-sized canvas, SDL takes this
        // as the logical size and sets the buffer to size x ratio itself.
        SDL_SetWindowSize(window, static_cast<int>(css_width), static_cast<int>(css_height));
        emscripten_set_canvas_element_size(kCanvasSelector, want_width, want_height);
    }
}

double device_pixel_ratio(SDL_Window* /*window*/) { return emscripten_get_device_pixel_ratio(); }

// performance.now(): first_frame_ms then measures from the navigation.
double now_ms() { return emscripten_get_now(); }

// A share link that could not be read (web/share_link.js): "CODE<TAB>DETAIL",
// one notice per code, in the learner's language.
void add_share_notice(Tutor& tutor, const std::string& why) {
    const auto tab = why.find('\t');
    const std::string code = why.substr(0, tab);
    const std::string detail = tab == std::string::npos ? "" : why.substr(tab + 1);
    // Spelled out, so that tests/web/test_strings.cpp finds every key.
    static constexpr std::pair<std::string_view, const char*> kNotices[] = {
        {"damaged", "notice.share_damaged"}, {"foreign", "notice.share_foreign"},   {"format", "notice.share_format"},
        {"lang", "notice.share_lang"},       {"too_long", "notice.share_too_long"}, {"unsupported", "notice.share_unsupported"},
    };
    const auto* found = std::find_if(std::begin(kNotices), std::end(kNotices), [&](const auto& n) { return n.first == code; });
    tutor.add_notice(Alert::Level::Error, found != std::end(kNotices) ? found->second : "notice.share_damaged", {detail});
}

// What preload_assets.js fetched: the lessons, and what failed.
Tutor make_tutor() {
    Catalog catalog;
    std::vector<std::pair<std::string, std::string>> failures;
    if (auto errors = platform::read_file(kLoadErrorsPath)) {
        std::size_t pos = 0;
        while (pos < errors->size()) {
            std::size_t end = errors->find('\n', pos);
            if (end == std::string::npos) end = errors->size();
            const std::string line = errors->substr(pos, end - pos);
            pos = end + 1;
            const auto tab = line.find('\t');
            if (tab != std::string::npos) failures.emplace_back(line.substr(0, tab), line.substr(tab + 1));
        }
    }
    for (const auto& [path, why] : failures)
        if (path.rfind("lessons/", 0) == 0 && path != "lessons/index.json") catalog.add_failure(path.substr(8), why);
    if (auto list = platform::read_file(kLessonListPath)) {
        std::size_t pos = 0;
        while (pos < list->size()) {
            std::size_t end = list->find('\n', pos);
            if (end == std::string::npos) end = list->size();
            const std::string path = list->substr(pos, end - pos);
            pos = end + 1;
            if (path.empty()) continue;
            if (auto text = platform::read_file("/lessons/" + path)) catalog.add_file(path, *text);
            else catalog.add_failure(path, "missing after loading");
        }
    }
    Tutor tutor(std::move(catalog), builtin_strings());
    for (const auto& [path, why] : failures) {
        if (path == "lessons/index.json") tutor.add_notice(Alert::Level::Error, "notice.index_failed", {why});
        else if (path.rfind("assets/fonts/", 0) == 0) tutor.add_notice(Alert::Level::Error, "notice.font_failed", {path + ": " + why});
        else if (path == "share") add_share_notice(tutor, why);
    }
    return tutor;
}

bool g_loop_paused = false;

// Pauses only between frames, from frame() itself; resumes from anywhere.
void resume_loop() {
    if (!g_loop_paused) return;
    g_loop_paused = false;
    emscripten_resume_main_loop();
}

void wake() {
    g_shell.request_frame();
    resume_loop();
}

// Called as SDL queues each event (SDL_AddEventWatch), so the first event
// after an idle spell is drawn at the next animation frame.
int wake_on_event(void* /*user_data*/, SDL_Event* event) {
    // SDL 2.26 queues a sentinel of its own on each SDL_PollEvent: no news.
    if (event->type == SDL_POLLSENTINEL) return 0;
    wake();
    return 0;
}

void frame(void* /*user_data*/) {
    g_shell.frame();
    // The page around the app (web/page/host.js) reads what changed once per
    // drawn frame, after it: a microtask, so never inside this frame.
    EM_ASM({ if (Module.finwaveFrameDrawn) Module.finwaveFrameDrawn(); });
    if (!g_shell.animating()) {
        g_loop_paused = true;
        emscripten_pause_main_loop();
    }
}

// Relative to the page, like preload_assets.js; written where the shell
// reads it, then reported back through finwave_fallback_font.
void fetch_fallback_font() {
    EM_ASM({
        var path = UTF8ToString($0);
        fetch(path.slice(1))
            .then(function (response) {
                if (!response.ok) throw new Error('HTTP ' + response.status + ' ' + response.statusText);
                return response.arrayBuffer();
            })
            .then(function (data) {
                FS.writeFile(path, new Uint8Array(data));
                ccall('finwave_fallback_font', null, ['number', 'string'], [1, '']);
            })
            .catch(function (error) { ccall('finwave_fallback_font', null, ['number', 'string'], [0, String(error && error.message || error)]); });
    }, kFallbackFontPath);
}

// Writes the reason to the console and stops the module: the page's onAbort
// shows it to the user instead of leaving a blank canvas.
[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "finwave: %s\n", what.c_str());
    std::abort();
}

}  // namespace

// --- JS API -------------------------------------------------------------------
// Returned strings stay valid until the next call; cwrap copies them at once.
extern "C" {

EMSCRIPTEN_KEEPALIVE const char* finwave_state() {
    static std::string json;
    json = g_shell.state_json();
    return json.c_str();
}

// The fallback font arrived (ok) or could not be fetched (why).
EMSCRIPTEN_KEEPALIVE void finwave_fallback_font(int ok, const char* why) {
    g_shell.fallback_font_arrived(ok != 0, why != nullptr ? why : "");
    resume_loop();
}

// For the page (finwave_api.js): something shown may have changed.
EMSCRIPTEN_KEEPALIVE void finwave_wake() { wake(); }

EMSCRIPTEN_KEEPALIVE const char* finwave_command(const char* command) {
    static std::string reply;
    const std::string text = command != nullptr ? command : "";
    if (text == "perf-reset") {
        g_shell.reset_perf();
        reply = "ok";
    } else {
        reply = g_shell.command(text);
        // The shell asked for frames if the command can change the picture
        // ("host-poll" cannot: it is read after every frame).
        if (g_shell.animating()) resume_loop();
    }
    return reply.c_str();
}

}  // extern "C"

int main() {
    ShellConfig config;
    config.body_font_path = kBodyFontPath;
    config.mono_font_path = kMonoFontPath;
    config.fallback_font_path = kFallbackFontPath;
    config.fetch_fallback_font = fetch_fallback_font;
    config.now_ms = now_ms;
    config.pixel_ratio = device_pixel_ratio;
    config.fit_window = sync_canvas_size;
    std::string error;
    if (!g_shell.open(config, "FinWave", 1280, 720, error)) fail(error);
    g_shell.start(make_tutor());
    SDL_AddEventWatch(wake_on_event, nullptr);

    // fps 0: follow requestAnimationFrame. simulate_infinite_loop: main()
    // never returns, like the desktop loop it stands for.
    emscripten_set_main_loop_arg(frame, nullptr, 0, true);
    return 0;
}
