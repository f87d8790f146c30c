// FinWave in the browser: SDL2 + Dear ImGui on WebGL2.
//
// This is the desktop loop handed to emscripten_set_main_loop: the browser
// owns the real loop and calls frame() once per animation frame. main()
// reads what preload_assets.js fetched (fonts, lessons), builds the tutor
// (web/model/) and the app (web/app.cpp), and exports the JS API that
// finwave_api.js wraps as window.finwave.

#include <emscripten.h>
#include <emscripten/html5.h>

#include <GLES3/gl3.h>
#include <SDL.h>

#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app.hpp"
#include "platform.hpp"
#include "startup.hpp"
#include "state_json.hpp"
#include "text.hpp"
#include "ui.hpp"

namespace {

using namespace finwave::web;

// preload_assets.js writes these before main() runs.
constexpr const char* kBodyFontPath = "/assets/fonts/finwave-ui.ttf";
constexpr const char* kMonoFontPath = "/assets/fonts/finwave-mono.ttf";
constexpr const char* kLessonListPath = "/finwave/lessons.txt";
constexpr const char* kLoadErrorsPath = "/finwave/load-errors.txt";
constexpr float kBodyPx = 17.0F;
constexpr float kHeadingPx = 21.0F;
constexpr float kMonoPx = 14.5F;
// SDL's Emscripten backend is hard-wired to this element.
constexpr const char* kCanvasSelector = "#canvas";
// localStorage keys; the progress JSON carries its own version inside.
constexpr const char* kProgressKey = "finwave.progress";
constexpr const char* kLangKey = "finwave.lang";
constexpr std::size_t kFrameSamples = 600;

// Input as ImGui 1.86 can use it. Its SDL backend reads the mouse from
// SDL_GetMouseState() once per frame and has no event queue (1.87 added one),
// so a press on a widget the pointer reached in the same frame, or a press
// and release inside one frame (a touch tap, a quick click), would be missed
// or land on the wrong widget. Here such events wait for the next frame:
// the pointer arrives, then the button goes down, then up.
struct Input {
    std::vector<SDL_Event> later;
    ImVec2 pos{-FLT_MAX, -FLT_MAX};
    bool down[3] = {false, false, false};
    bool pressed[3] = {false, false, false};  // went down since the last frame
    bool forget_pos = false;                  // a finger lifted: no hover remains
    std::vector<bool> shortcut_keys = std::vector<bool>(SDL_NUM_SCANCODES, false);  // held, taken by a shortcut
};

struct State {
    SDL_Window* window = nullptr;
    SDL_GLContext gl_context = nullptr;
    std::unique_ptr<App> app;
    double font_pixel_ratio = 0.0;  // device pixel ratio the font atlas was built for
    int font_glyphs = 0;            // 0: the CJK font failed, ImGui's built-in one is used
    std::uint64_t frame = 0;
    std::uint64_t input_events = 0;  // key and button presses seen, so tests can tell input arrives
    bool ready = false;              // a first frame has been drawn
    double first_frame_ms = 0;       // performance.now() when it was: navigation to first frame
    double last_frame_ms = 0;
    bool storage_warned = false;
    std::vector<ImWchar> heading_ranges;
    Input input;
    // C++ time per frame, ImGui's new frame to its render (ms), a ring.
    std::vector<double> frame_ms;
    std::size_t frame_ms_next = 0;
};

State g;  // Emscripten calls back with no state of ours; the exported C API needs it too

// The canvas is sized by CSS (it fills the window). Its drawing buffer must be
// CSS size x devicePixelRatio or the browser scales the image and text blurs.
// SDL updates this on the window's resize event only; checking every frame
// also catches a ratio change without a resize (window moved to another screen).
void sync_canvas_size() {
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
        SDL_SetWindowSize(g.window, static_cast<int>(css_width), static_cast<int>(css_height));
        emscripten_set_canvas_element_size(kCanvasSelector, want_width, want_height);
    }
}

// The heading font holds only what headings show (titles, step titles,
// sub-headings): a second CJK font at a larger size would double the atlas.
void collect_heading_glyphs(const Tutor& tutor) {
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesDefault());
    for (const CatalogEntry& e : tutor.catalog().entries()) {
        for (const auto& lesson : e.by_lang) {
            if (!lesson) continue;
            builder.AddText(lesson->title.c_str());
            for (const finwave::Step& s : lesson->steps) {
                builder.AddText(s.title.c_str());
                std::size_t pos = 0;
                while (pos < s.markdown.size()) {
                    std::size_t end = s.markdown.find('\n', pos);
                    if (end == std::string::npos) end = s.markdown.size();
                    if (s.markdown[pos] == '#') builder.AddText(s.markdown.c_str() + pos, s.markdown.c_str() + end);
                    pos = end + 1;
                }
            }
        }
    }
    const UiStrings& strings = builtin_strings();
    for (Lang l : {Lang::En, Lang::Zh})
        for (const char* k : {"app.title", "lesson.list_title", "lesson.free_play", "lesson.sandbox_title"})
            builder.AddText(strings.get(l, k).c_str());
    ImVector<ImWchar> ranges;
    builder.BuildRanges(&ranges);
    g.heading_ranges.assign(ranges.begin(), ranges.end());
}

// Glyphs are rasterized at device pixels and drawn scaled by 1/ratio, so text
// is as sharp on a high-DPI screen as the screen allows. The atlas is rebuilt
// when the ratio changes (browser zoom, another screen).
void load_fonts(double pixel_ratio) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const auto ratio = static_cast<float>(pixel_ratio);

    // Every character the subset holds: the subset is already cut down to what
    // the lessons and UI use, so asking for the whole BMP costs only lookups.
    static const ImWchar all_of_the_bmp[] = {0x0020, 0xFFFF, 0};
    ImFontConfig config;
    config.OversampleH = 1;  // CJK glyphs are many: keep the atlas small
    config.OversampleV = 1;
    config.PixelSnapH = true;
    ui::Fonts& f = ui::fonts();
    f.body = io.Fonts->AddFontFromFileTTF(kBodyFontPath, std::round(kBodyPx * ratio), &config, all_of_the_bmp);
    if (f.body == nullptr) {
        ImFontConfig fallback;
        fallback.SizePixels = std::round(kBodyPx * ratio);
        f.body = io.Fonts->AddFontDefault(&fallback);
        f.heading = f.body;
    } else {
        f.heading = io.Fonts->AddFontFromFileTTF(kBodyFontPath, std::round(kHeadingPx * ratio), &config, g.heading_ranges.data());
    }
    ImFontConfig mono_config = config;
    mono_config.OversampleH = 2;  // few glyphs: afford the sharper ones
    f.mono = io.Fonts->AddFontFromFileTTF(kMonoFontPath, std::round(kMonoPx * ratio), &mono_config, io.Fonts->GetGlyphRangesDefault());
    if (f.mono == nullptr) f.mono = f.body;
    if (f.heading == nullptr) f.heading = f.body;
    io.FontDefault = f.body;
    io.Fonts->Build();
    g.font_glyphs = f.body->Glyphs.Size > 200 ? f.body->Glyphs.Size : 0;
    io.FontGlobalScale = 1.0F / ratio;
    g.font_pixel_ratio = pixel_ratio;

    // The backend uploads the atlas on its first frame only.
    if (g.frame > 0) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
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
    }
    return tutor;
}

void persist(Tutor& tutor) {
    std::string error;
    bool ok = true;
    if (tutor.take_progress_dirty()) ok = platform::storage_set(kProgressKey, tutor.progress_json(), error) && ok;
    if (tutor.take_lang_dirty()) ok = platform::storage_set(kLangKey, lang_code(tutor.lang()), error) && ok;
    if (!ok && !g.storage_warned) {
        g.storage_warned = true;
        tutor.add_notice(Alert::Level::Warning, "notice.storage_failed", {error});
    }
    if (tutor.take_location_dirty()) platform::replace_query(location_query(tutor));
}

int button_index(Uint8 button) {
    switch (button) {
        case SDL_BUTTON_LEFT: return 0;
        case SDL_BUTTON_RIGHT: return 1;
        case SDL_BUTTON_MIDDLE: return 2;
        default: return -1;
    }
}

void pump_events(Input& in) {
    std::vector<SDL_Event> events;
    events.swap(in.later);
    SDL_Event e;
    while (SDL_PollEvent(&e) != 0) events.push_back(e);
    if (in.forget_pos) {
        in.pos = ImVec2(-FLT_MAX, -FLT_MAX);
        in.forget_pos = false;
    }
    bool moved = false;
    bool hold = false;  // once one event waits, the ones after it wait too: order is kept
    bool button_changed[3] = {false, false, false};
    std::vector<bool> key_went_down(SDL_NUM_SCANCODES, false);
    for (const SDL_Event& ev : events) {
        if (hold) {
            in.later.push_back(ev);
            continue;
        }
        switch (ev.type) {
            case SDL_MOUSEMOTION:
                in.pos = ImVec2(static_cast<float>(ev.motion.x), static_cast<float>(ev.motion.y));
                moved = true;
                break;
            case SDL_MOUSEBUTTONDOWN:
            case SDL_MOUSEBUTTONUP: {
                const int b = button_index(ev.button.button);
                if (b < 0) break;
                const bool is_down = ev.type == SDL_MOUSEBUTTONDOWN;
                if ((is_down && moved) || button_changed[b]) {
                    hold = true;
                    in.later.push_back(ev);
                    continue;
                }
                in.pos = ImVec2(static_cast<float>(ev.button.x), static_cast<float>(ev.button.y));
                in.down[b] = is_down;
                in.pressed[b] = in.pressed[b] || is_down;
                button_changed[b] = true;
                if (is_down) ++g.input_events;
                if (!is_down && ev.button.which == SDL_TOUCH_MOUSEID) in.forget_pos = true;
                break;
            }
            case SDL_WINDOWEVENT:
                if (ev.window.event == SDL_WINDOWEVENT_LEAVE) in.pos = ImVec2(-FLT_MAX, -FLT_MAX);
                ImGui_ImplSDL2_ProcessEvent(&ev);
                break;
            case SDL_KEYDOWN: {
                const auto sc = static_cast<std::size_t>(ev.key.keysym.scancode);
                ++g.input_events;
                const ImGuiIO& io = ImGui::GetIO();
                const bool modifiers = (ev.key.keysym.mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI)) != 0;
                if (ev.key.repeat == 0 && g.app && g.app->key_pressed(ev.key.keysym.scancode, io.NavVisible, io.WantTextInput, modifiers)) {
                    in.shortcut_keys[sc] = true;  // its release is not ImGui's either
                    break;
                }
                if (in.shortcut_keys[sc] && ev.key.repeat != 0) break;
                key_went_down[sc] = true;
                ImGui_ImplSDL2_ProcessEvent(&ev);
                break;
            }
            case SDL_KEYUP: {
                const auto sc = static_cast<std::size_t>(ev.key.keysym.scancode);
                if (in.shortcut_keys[sc]) {
                    in.shortcut_keys[sc] = false;
                    break;
                }
                if (key_went_down[sc]) {
                    hold = true;
                    in.later.push_back(ev);
                    continue;
                }
                ImGui_ImplSDL2_ProcessEvent(&ev);
                break;
            }
            default: ImGui_ImplSDL2_ProcessEvent(&ev); break;
        }
    }
}

// After the backend's own update: the pointer and buttons as pump_events() saw them.
void apply_mouse(Input& in) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = in.pos;
    for (int b = 0; b < 3; ++b) {
        io.MouseDown[b] = in.down[b] || in.pressed[b];
        in.pressed[b] = false;
    }
}

void frame(void* /*user_data*/) {
    pump_events(g.input);

    sync_canvas_size();
    const double ratio = emscripten_get_device_pixel_ratio();
    if (ratio != g.font_pixel_ratio) load_fonts(ratio);

    const double start = emscripten_get_now();
    const double dt = g.last_frame_ms > 0 ? (start - g.last_frame_ms) / 1000.0 : 0.0;
    g.last_frame_ms = start;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    apply_mouse(g.input);
    // Enter presses the focused widget too, not only Space (ImGui 1.86 maps
    // Enter to text input only).
    ImGuiIO& io = ImGui::GetIO();
    if (io.NavVisible && ImGui::IsKeyDown(SDL_SCANCODE_RETURN) && !io.WantTextInput) io.NavInputs[ImGuiNavInput_Activate] = 1.0F;
    ImGui::NewFrame();
    g.app->frame(dt);
    ImGui::Render();
    const double cpu_ms = emscripten_get_now() - start;
    if (g.frame_ms.size() < kFrameSamples) g.frame_ms.push_back(cpu_ms);
    else g.frame_ms[g.frame_ms_next] = cpu_ms;
    g.frame_ms_next = (g.frame_ms_next + 1) % kFrameSamples;

    int buffer_width = 0;
    int buffer_height = 0;
    SDL_GL_GetDrawableSize(g.window, &buffer_width, &buffer_height);
    glViewport(0, 0, buffer_width, buffer_height);
    const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(ui::colour::kBackground);
    glClearColor(bg.x, bg.y, bg.z, 1.0F);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    SDL_GL_SwapWindow(g.window);

    persist(g.app->tutor());
    ++g.frame;
    if (!g.ready) {
        g.ready = true;
        g.first_frame_ms = emscripten_get_now();
    }
}

// Writes the reason to the console and stops the module: the page's onAbort
// shows it to the user instead of leaving a blank canvas.
[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "finwave: %s: %s\n", what, SDL_GetError());
    std::abort();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::min<double>(static_cast<double>(v.size() - 1), std::floor(p * static_cast<double>(v.size()))));
    return v[i];
}

}  // namespace

// --- JS API -------------------------------------------------------------------
// Returned strings stay valid until the next call; cwrap copies them at once.
extern "C" {

EMSCRIPTEN_KEEPALIVE const char* finwave_state() {
    static std::string json;
    char extra[512];
    std::snprintf(extra, sizeof extra,
                  "\"ready\":%s,\"frame\":%llu,\"input_events\":%llu,\"font_glyphs\":%d,\"font_pixel_ratio\":%g,"
                  "\"first_frame_ms\":%.1f,\"perf\":{\"samples\":%zu,\"frame_ms_p50\":%.3f,\"frame_ms_p95\":%.3f,\"frame_ms_max\":%.3f}",
                  g.ready ? "true" : "false", static_cast<unsigned long long>(g.frame),
                  static_cast<unsigned long long>(g.input_events), g.font_glyphs, g.font_pixel_ratio, g.first_frame_ms,
                  g.frame_ms.size(), percentile(g.frame_ms, 0.5), percentile(g.frame_ms, 0.95), percentile(g.frame_ms, 1.0));
    std::string more = extra;
    more += ",\"ui\":" + ui::exposed_json();
    json = g.app ? state_json(g.app->tutor(), more) : "{" + more + "}";
    return json.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* finwave_command(const char* command) {
    static std::string reply;
    const std::string text = command != nullptr ? command : "";
    if (text == "perf-reset") {
        g.frame_ms.clear();
        g.frame_ms_next = 0;
        reply = "ok";
    } else if (!g.app) {
        reply = "error: the app has not started";
    } else {
        reply = g.app->command(text);
        persist(g.app->tutor());
    }
    return reply.c_str();
}

}  // extern "C"

int main() {
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) fail("SDL_Init failed");

    // OpenGL ES 3.0 is what WebGL2 offers; Emscripten maps the request to a
    // WebGL2 context. No depth or stencil: ImGui draws flat triangles.
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);

    // The size passed here is replaced at once: with RESIZABLE and a canvas
    // sized by CSS, SDL adopts the CSS size (see sync_canvas_size).
    g.window = SDL_CreateWindow("FinWave", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 1280, 720,
                                SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (g.window == nullptr) fail("SDL_CreateWindow failed");
    g.gl_context = SDL_GL_CreateContext(g.window);
    if (g.gl_context == nullptr) fail("cannot create a WebGL2 context");

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini on the web: layout state lives in the app
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.ConfigWindowsMoveFromTitleBarOnly = true;
    ui::apply_style();
    ui::set_url_opener(platform::open_url);

    ImGui_ImplSDL2_InitForOpenGL(g.window, g.gl_context);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    Tutor tutor = make_tutor();
    std::string storage_error;
    StartOptions options;
    options.query = platform::location_search();
    options.saved_lang = platform::storage_get(kLangKey, storage_error).value_or("");
    options.saved_progress = platform::storage_get(kProgressKey, storage_error).value_or("");
    options.browser_lang = platform::browser_language();
    start(tutor, options);
    if (!storage_error.empty()) {
        g.storage_warned = true;
        tutor.add_notice(Alert::Level::Warning, "notice.storage_failed", {storage_error});
    }
    collect_heading_glyphs(tutor);
    g.app = std::make_unique<App>(std::move(tutor));

    sync_canvas_size();
    load_fonts(emscripten_get_device_pixel_ratio());
    if (ui::fonts().body && g.font_glyphs == 0) std::printf("finwave: the CJK font is missing; using ImGui's built-in font\n");

    // fps 0: follow requestAnimationFrame. simulate_infinite_loop: main()
    // never returns, like the desktop loop it stands for.
    emscripten_set_main_loop_arg(frame, nullptr, 0, true);
    return 0;
}
