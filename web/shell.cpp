#include "shell.hpp"

#include <chrono>

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#else
// The shell itself calls only OpenGL 1.x (viewport, clear); ImGui's
// backend loads what it needs on its own.
#include <SDL_opengl.h>
#endif

#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "platform.hpp"
#include "startup.hpp"
#include "state_json.hpp"
#include "text.hpp"
#include "ui.hpp"

namespace finwave::web {

namespace {

constexpr float kBodyPx = 17.0F;
constexpr float kHeadingPx = 21.0F;
constexpr float kMonoPx = 14.5F;
// Storage keys (localStorage in the browser, files on the desktop); the
// progress JSON carries its own version inside.
constexpr const char* kProgressKey = "finwave.progress";
constexpr const char* kLangKey = "finwave.lang";
constexpr std::size_t kFrameSamples = 600;

#ifdef __EMSCRIPTEN__
// OpenGL ES 3.0 is what WebGL2 offers; Emscripten maps the request to a
// WebGL2 context.
constexpr int kGlProfile = SDL_GL_CONTEXT_PROFILE_ES;
constexpr const char* kGlslVersion = "#version 300 es";
#else
// Debian's libimgui builds the OpenGL3 backend for desktop OpenGL, whose
// functions it loads from libGL through GLX: a desktop 3.0 context and GLSL
// 1.30, as ImGui's own SDL + OpenGL3 example asks for on Linux.
constexpr int kGlProfile = 0;
constexpr const char* kGlslVersion = "#version 130";
#endif

int button_index(Uint8 button) {
    switch (button) {
        case SDL_BUTTON_LEFT: return 0;
        case SDL_BUTTON_RIGHT: return 1;
        case SDL_BUTTON_MIDDLE: return 2;
        default: return -1;
    }
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::min<double>(static_cast<double>(v.size() - 1), std::floor(p * static_cast<double>(v.size()))));
    return v[i];
}

}  // namespace

bool Shell::open(const ShellConfig& config, const char* title, int width, int height, std::string& error) {
    config_ = config;
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        error = std::string("SDL_Init failed: ") + SDL_GetError();
        return false;
    }
    // No depth or stencil: ImGui draws flat triangles.
    if (kGlProfile != 0) SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, kGlProfile);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);

    // In the browser the size is replaced at once: with RESIZABLE and a
    // canvas sized by CSS, SDL adopts the CSS size (fit_window).
    window_ = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, width, height,
                               SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (window_ == nullptr) {
        error = std::string("SDL_CreateWindow failed: ") + SDL_GetError();
        return false;
    }
    gl_context_ = SDL_GL_CreateContext(window_);
    if (gl_context_ == nullptr) {
        error = std::string("cannot create an OpenGL 3 context: ") + SDL_GetError();
        return false;
    }
#ifndef __EMSCRIPTEN__
    // Frames at the display's rate, not as fast as the CPU allows. (The
    // browser paces frames itself; there SDL would retime a main loop that
    // does not exist yet.)
    SDL_GL_SetSwapInterval(1);
#endif

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    // No imgui.ini, in the browser nor beside a desktop learner's working
    // folder: the panes are laid out by the app every frame.
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.ConfigWindowsMoveFromTitleBarOnly = true;
    // A steady text cursor: a blinking one would need a frame every few
    // hundred milliseconds for as long as a field holds the focus.
    io.ConfigInputTextCursorBlink = false;
    ui::apply_style();
    ui::set_url_opener(platform::open_url);

    ImGui_ImplSDL2_InitForOpenGL(window_, gl_context_);
    if (!ImGui_ImplOpenGL3_Init(kGlslVersion)) {
        error = "ImGui's OpenGL3 backend could not start (no OpenGL 3 functions)";
        return false;
    }
    return true;
}

void Shell::start(Tutor tutor) {
    std::string storage_error;
    StartOptions options;
    options.query = platform::location_search();
    options.saved_lang = platform::storage_get(kLangKey, storage_error).value_or("");
    options.saved_progress = platform::storage_get(kProgressKey, storage_error).value_or("");
    options.browser_lang = platform::browser_language();
    // The spaced review's "today" (UTC days): the model itself reads no clock.
    tutor.set_today(static_cast<long>(std::chrono::duration_cast<std::chrono::hours>(
                                          std::chrono::system_clock::now().time_since_epoch()).count() / 24));
    finwave::web::start(tutor, options);
    if (!storage_error.empty()) {
        storage_warned_ = true;
        tutor.add_notice(Alert::Level::Warning, config_.storage_failed_key, {storage_error});
    }
    collect_heading_glyphs(tutor);
    collect_text_glyphs(tutor);
    app_ = std::make_unique<App>(std::move(tutor));

    if (config_.fit_window) config_.fit_window(window_);
    load_fonts(config_.pixel_ratio(window_));
    if (ui::fonts().body && font_glyphs_ == 0) std::printf("finwave: the CJK font is missing; using ImGui's built-in font\n");
}

// The heading font holds only what headings show (titles, step titles,
// sub-headings), per language as for the body (Catalog::lesson: another
// language's text where a lesson lacks one): a second CJK font at a larger
// size would double the atlas.
void Shell::collect_heading_glyphs(const Tutor& tutor) {
    const UiStrings& strings = builtin_strings();
    for (Lang l : {Lang::En, Lang::Zh}) {
        ImFontGlyphRangesBuilder builder;
        builder.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesDefault());
        for (const CatalogEntry& e : tutor.catalog().entries()) {
            for (const auto& lesson : e.by_lang)
                if (lesson) builder.AddText(lesson->title.c_str());  // the lesson list
            const finwave::Lesson* lesson = tutor.catalog().lesson(e.id, l);
            if (lesson == nullptr) continue;
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
        for (const char* k : {"app.title", "lesson.list_title", "lesson.free_play", "lesson.sandbox_title", "practice_view.title",
                              "practice_view.ask_title", "practice_view.rest_title", "host.list_title"})
            builder.AddText(strings.get(l, k).c_str());
        // Free play's title names its scenario ("lesson.sandbox_title").
        for (const auto& key : strings.keys(l))
            if (key.rfind("scenario.", 0) == 0 && key.find(".description") == std::string::npos) builder.AddText(strings.get(l, key).c_str());
        ImVector<ImWchar> ranges;
        builder.BuildRanges(&ranges);
        heading_ranges_[static_cast<std::size_t>(l)].assign(ranges.begin(), ranges.end());
    }
}

// Glyphs are rasterized at device pixels and drawn scaled by 1/ratio, so text
// is as sharp on a high-DPI screen as the screen allows. The atlas is rebuilt
// when the ratio changes (browser zoom, another screen).
void Shell::load_fonts(double pixel_ratio) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const auto ratio = static_cast<float>(pixel_ratio);
    const char* body_path = config_.body_font_path.c_str();
    const char* mono_path = config_.mono_font_path.c_str();
    if (app_) font_lang_ = app_->tutor().lang();
    const auto li = static_cast<std::size_t>(font_lang_);
    const std::vector<ImWchar>& text_ranges = text_ranges_[li];
    const std::vector<ImWchar>& table_ranges = table_ranges_[li];
    const std::vector<ImWchar>& heading_ranges = heading_ranges_[li];

    // Latin-1 and what this language's text uses: the subset holds both
    // languages, and rasterizing only the glyphs shown is what keeps the
    // start short (an English reader's atlas has a few dozen CJK glyphs).
    ImFontConfig config;
    config.OversampleH = 1;  // CJK glyphs are many: keep the atlas small
    config.OversampleV = 1;
    config.PixelSnapH = true;
    ui::Fonts& f = ui::fonts();
    ++f.generation;
    f.heading = nullptr;
    f.body = io.Fonts->AddFontFromFileTTF(body_path, std::round(kBodyPx * ratio), &config,
                                          text_ranges.size() > 1 ? text_ranges.data() : io.Fonts->GetGlyphRangesDefault());
    const bool body_ok = f.body != nullptr;
    if (!body_ok) {
        ImFontConfig fallback;
        fallback.SizePixels = std::round(kBodyPx * ratio);
        f.body = io.Fonts->AddFontDefault(&fallback);
        f.heading = f.body;
    }
    // Merged into the face added last: ImGui takes a glyph from the first
    // source that has it, so the subset's glyphs win and the fallback only
    // adds the characters it lacks (of those the lessons use).
    ImFontConfig merge = config;
    merge.MergeMode = true;
    const bool fallback = fallback_ == Fallback::Loaded && body_ok && text_ranges.size() > 1;
    const char* fallback_path = config_.fallback_font_path.c_str();
    if (fallback) io.Fonts->AddFontFromFileTTF(fallback_path, std::round(kBodyPx * ratio), &merge, text_ranges.data());
    if (body_ok) {
        f.heading = io.Fonts->AddFontFromFileTTF(body_path, std::round(kHeadingPx * ratio), &config, heading_ranges.data());
        if (f.heading != nullptr && fallback)
            io.Fonts->AddFontFromFileTTF(fallback_path, std::round(kHeadingPx * ratio), &merge, heading_ranges.data());
    }
    ImFontConfig mono_config = config;
    mono_config.OversampleH = 2;  // few glyphs: afford the sharper ones
    f.mono = io.Fonts->AddFontFromFileTTF(mono_path, std::round(kMonoPx * ratio), &mono_config, io.Fonts->GetGlyphRangesDefault());
    // The events, packets and timers panels speak the tables' language: the
    // mono face is ASCII, so the CJK glyphs come from the subset.
    if (f.mono != nullptr && body_ok && table_ranges.size() > 1)
        io.Fonts->AddFontFromFileTTF(body_path, std::round(kMonoPx * ratio), &merge, table_ranges.data());
    if (f.mono == nullptr) f.mono = f.body;
    if (f.heading == nullptr) f.heading = f.body;
    io.FontDefault = f.body;
    io.Fonts->Build();
    font_glyphs_ = body_ok ? f.body->Glyphs.Size : 0;
    fonts_dirty_ = false;
    atlas_width_ = io.Fonts->TexWidth;
    atlas_height_ = io.Fonts->TexHeight;
    check_glyphs();
    io.FontGlobalScale = 1.0F / ratio;
    font_pixel_ratio_ = pixel_ratio;

    // The backend uploads the atlas on its first frame only.
    if (frame_ > 0) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
}

void Shell::persist(Tutor& tutor) {
    std::string error;
    bool ok = true;
    if (tutor.take_progress_dirty()) ok = platform::storage_set(kProgressKey, tutor.progress_json(), error) && ok;
    if (tutor.take_lang_dirty()) ok = platform::storage_set(kLangKey, lang_code(tutor.lang()), error) && ok;
    if (!ok && !storage_warned_) {
        storage_warned_ = true;
        tutor.add_notice(Alert::Level::Warning, config_.storage_failed_key, {error});
    }
    if (tutor.take_location_dirty()) platform::replace_query(location_query(tutor));
}

void Shell::pump_events() {
    Input& in = input_;
    std::vector<SDL_Event> events;
    events.swap(in.later);
    SDL_Event e;
    while (SDL_PollEvent(&e) != 0) events.push_back(e);
    if (!events.empty()) {
        last_input_ms_ = config_.now_ms();
        frames_requested_ = std::max(frames_requested_, kSettleFrames);
    }
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
            case SDL_QUIT: quit_requested_ = true; break;
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
                if (is_down) ++input_events_;
                if (!is_down && ev.button.which == SDL_TOUCH_MOUSEID) in.forget_pos = true;
                break;
            }
            case SDL_WINDOWEVENT:
                if (ev.window.event == SDL_WINDOWEVENT_LEAVE) in.pos = ImVec2(-FLT_MAX, -FLT_MAX);
                ImGui_ImplSDL2_ProcessEvent(&ev);
                break;
            case SDL_KEYDOWN: {
                const auto sc = static_cast<std::size_t>(ev.key.keysym.scancode);
                ++input_events_;
                const ImGuiIO& io = ImGui::GetIO();
                const bool modifiers = (ev.key.keysym.mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI)) != 0;
                if (ev.key.repeat == 0 && app_ && app_->key_pressed(ev.key.keysym.scancode, io.NavVisible, io.WantTextInput, modifiers)) {
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
void Shell::apply_mouse() {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = input_.pos;
    for (int b = 0; b < 3; ++b) {
        io.MouseDown[b] = input_.down[b] || input_.pressed[b];
        input_.pressed[b] = false;
    }
}

void Shell::frame() {
    pump_events();

    if (config_.fit_window) config_.fit_window(window_);
    const double ratio = config_.pixel_ratio(window_);
    if (ratio != font_pixel_ratio_ || fonts_dirty_ || app_->tutor().lang() != font_lang_) load_fonts(ratio);

    const double start = config_.now_ms();
    // After an idle spell the clock has moved on with nothing drawn: the
    // first frame of new activity starts from zero, so a Play pressed after
    // a pause does not leap ahead by the pause.
    const double dt = last_frame_ms_ > 0 ? (start - last_frame_ms_) / 1000.0 : 0.0;
    last_frame_ms_ = start;
    if (frames_requested_ > 0) --frames_requested_;

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    apply_mouse();
    // Enter presses the focused widget too, not only Space (ImGui 1.86 maps
    // Enter to text input only).
    ImGuiIO& io = ImGui::GetIO();
    if (io.NavVisible && ImGui::IsKeyDown(SDL_SCANCODE_RETURN) && !io.WantTextInput) io.NavInputs[ImGuiNavInput_Activate] = 1.0F;
    ImGui::NewFrame();
    app_->frame(dt);
    ImGui::Render();
    const double cpu_ms = config_.now_ms() - start;
    if (frame_ms_.size() < kFrameSamples) frame_ms_.push_back(cpu_ms);
    else frame_ms_[frame_ms_next_] = cpu_ms;
    frame_ms_next_ = (frame_ms_next_ + 1) % kFrameSamples;

    // The learner switched language in this frame: its text needs glyphs the
    // atlas (built for the other language) lacks. The last picture stays on
    // screen, and the next frame is drawn with the new atlas.
    if (app_->tutor().lang() != font_lang_) {
        fonts_dirty_ = true;
        request_frame();
        persist(app_->tutor());
        return;
    }

    int buffer_width = 0;
    int buffer_height = 0;
    SDL_GL_GetDrawableSize(window_, &buffer_width, &buffer_height);
    glViewport(0, 0, buffer_width, buffer_height);
    const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(ui::colour::kBackground);
    glClearColor(bg.x, bg.y, bg.z, 1.0F);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (before_swap) before_swap();
    SDL_GL_SwapWindow(window_);

    persist(app_->tutor());
    ++frame_;
    if (!animating()) last_frame_ms_ = 0;  // idle from here on: see dt above
    if (!ready_) {
        ready_ = true;
        first_frame_ms_ = config_.now_ms();
    }
}

void Shell::close() {
    if (app_) persist(app_->tutor());
    app_.reset();
    if (ImGui::GetCurrentContext() != nullptr) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
    }
    if (gl_context_ != nullptr) SDL_GL_DeleteContext(gl_context_);
    if (window_ != nullptr) SDL_DestroyWindow(window_);
    gl_context_ = nullptr;
    window_ = nullptr;
    SDL_Quit();
}

bool Shell::animating() const {
    // ImGui 1.86 animates for a moment after input (a window's focus, the
    // dimming behind a popup): a short spell of frames covers it.
    constexpr double kSettleMs = 300;
    return frames_requested_ > 0 || !input_.later.empty() || (app_ && (app_->tutor().playing() || app_->animating())) ||
           config_.now_ms() - last_input_ms_ < kSettleMs;
}

std::string Shell::command(std::string_view text) {
    if (!app_) return "error: the app has not started";
    // Only what reads without changing anything draws nothing: the page
    // polls "host-poll" after every frame, which must not ask for another.
    if (text != "host-poll" && text != "ping") request_frame();
    std::string reply = app_->command(text);
    persist(app_->tutor());
    return reply;
}

std::string Shell::state_json() const {
    using nlohmann::json;
    // Rounded to a tenth: enough for a test to aim a click, and short.
    const auto tenth = [](float v) { return std::round(static_cast<double>(v) * 10) / 10; };
    json ui_rects = json::object();
    for (const auto& [name, r] : ui::exposed()) ui_rects[name] = {tenth(r.x), tenth(r.y), tenth(r.z), tenth(r.w)};
    const json more = {
        {"ready", ready_},
        {"frame", frame_},
        {"input_events", input_events_},
        {"font_glyphs", font_glyphs_},
        {"font_pixel_ratio", font_pixel_ratio_},
        {"font_atlas", {atlas_width_, atlas_height_}},
        {"font_mono_glyphs", ui::fonts().mono ? ui::fonts().mono->Glyphs.Size : 0},
        {"first_frame_ms", std::round(first_frame_ms_ * 10) / 10},
        {"perf", {{"samples", frame_ms_.size()},
                  {"frame_ms_p50", percentile(frame_ms_, 0.5)},
                  {"frame_ms_p95", percentile(frame_ms_, 0.95)},
                  {"frame_ms_max", percentile(frame_ms_, 1.0)}}},
        {"font_fallback", fallback_state()},
        {"font_missing", missing_glyphs_},
        {"ui", std::move(ui_rects)},
    };
    // Replace, not throw: a glyph list cut inside a character must not stop the page.
    std::string fields = more.dump(-1, ' ', false, json::error_handler_t::replace);
    if (!app_) return fields;
    // The model's state_json takes the pairs without the braces.
    return finwave::web::state_json(app_->tutor(), std::string_view(fields).substr(1, fields.size() - 2));
}

void Shell::reset_perf() {
    frame_ms_.clear();
    frame_ms_next_ = 0;
}

}  // namespace finwave::web
