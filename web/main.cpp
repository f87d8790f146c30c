// FinWave in the browser: SDL2 + Dear ImGui on WebGL2.
//
// This is the desktop loop handed to emscripten_set_main_loop: the browser
// owns the real loop and calls frame() once per animation frame. Until the
// lesson player exists, the window shows a placeholder; the JS API below
// (finwave_state / finwave_command, wrapped as window.finwave by
// finwave_api.js) is what tests and the page talk to.

#include <emscripten.h>
#include <emscripten/html5.h>

#include <GLES3/gl3.h>
#include <SDL.h>

#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

// preload_assets.js writes the font here before main() runs.
constexpr const char* kFontPath = "/assets/fonts/finwave-ui.ttf";
constexpr float kFontSizeCssPx = 18.0F;
// SDL's Emscripten backend is hard-wired to this element.
constexpr const char* kCanvasSelector = "#canvas";

struct App {
    SDL_Window* window = nullptr;
    SDL_GLContext gl_context = nullptr;
    double font_pixel_ratio = 0.0;  // device pixel ratio the font atlas was built for
    int font_glyphs = 0;            // 0: the CJK font failed, ImGui's built-in one is used
    std::uint64_t frame = 0;
    std::uint64_t input_events = 0;  // key and button presses seen, so tests can tell input arrives
    bool ready = false;              // a first frame has been drawn
};

App g_app;  // Emscripten calls back with no state of ours; the exported C API needs it too

// The canvas is sized by CSS (it fills the window). Its drawing buffer must be
// CSS size x devicePixelRatio or the browser scales the image and text blurs.
// SDL updates this on the window's resize event only; checking every frame
// also catches a ratio change without a resize (window moved to another screen).
void sync_canvas_size(App& app) {
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
        SDL_SetWindowSize(app.window, static_cast<int>(css_width), static_cast<int>(css_height));
        emscripten_set_canvas_element_size(kCanvasSelector, want_width, want_height);
    }
}

// Glyphs are rasterized at device pixels and drawn scaled by 1/ratio, so text
// is as sharp on a high-DPI screen as the screen allows. The atlas is rebuilt
// when the ratio changes (browser zoom, another screen).
void load_fonts(App& app, double pixel_ratio) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();

    // Every character the subset holds: the subset is already cut down to what
    // the lessons and UI use, so asking for the whole BMP costs only lookups.
    static const ImWchar all_of_the_bmp[] = {0x0020, 0xFFFF, 0};
    ImFontConfig config;
    config.OversampleH = 1;  // CJK glyphs are many: keep the atlas small
    config.OversampleV = 1;
    config.PixelSnapH = true;
    const float size_px = std::round(kFontSizeCssPx * static_cast<float>(pixel_ratio));
    ImFont* font = io.Fonts->AddFontFromFileTTF(kFontPath, size_px, &config, all_of_the_bmp);
    if (font == nullptr) {
        // stderr is the browser console: the smoke test fails on it.
        std::fprintf(stderr, "finwave: cannot load %s, falling back to ImGui's ASCII font\n",
                     kFontPath);
        ImFontConfig fallback;
        fallback.SizePixels = size_px;
        io.Fonts->AddFontDefault(&fallback);
    }
    io.Fonts->Build();
    app.font_glyphs = font != nullptr ? font->Glyphs.Size : 0;
    io.FontGlobalScale = static_cast<float>(1.0 / pixel_ratio);
    app.font_pixel_ratio = pixel_ratio;

    // The backend uploads the atlas on its first frame only.
    if (app.frame > 0) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
}

void draw_placeholder(const App& app) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(
        ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5F,
               viewport->WorkPos.y + viewport->WorkSize.y * 0.5F),
        ImGuiCond_Always, ImVec2(0.5F, 0.5F));
    ImGui::Begin("FinWave", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::TextUnformatted("FinWave: TCP connection termination");
    ImGui::TextUnformatted("四次挥手 FIN-WAIT-2");
    ImGui::Separator();
    ImGui::Text("frame %llu, input events %llu",
                static_cast<unsigned long long>(app.frame),
                static_cast<unsigned long long>(app.input_events));
    ImGui::Text("canvas %.0f x %.0f CSS px, pixel ratio %.2f", ImGui::GetIO().DisplaySize.x,
                ImGui::GetIO().DisplaySize.y, app.font_pixel_ratio);
    ImGui::End();
}

void frame(void* /*user_data*/) {
    App& app = g_app;

    SDL_Event event;
    while (SDL_PollEvent(&event) != 0) {
        ImGui_ImplSDL2_ProcessEvent(&event);
        if (event.type == SDL_KEYDOWN || event.type == SDL_MOUSEBUTTONDOWN) {
            ++app.input_events;
        }
    }

    sync_canvas_size(app);
    const double ratio = emscripten_get_device_pixel_ratio();
    if (ratio != app.font_pixel_ratio) {
        load_fonts(app, ratio);
    }

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    draw_placeholder(app);
    ImGui::Render();

    int buffer_width = 0;
    int buffer_height = 0;
    SDL_GL_GetDrawableSize(app.window, &buffer_width, &buffer_height);
    glViewport(0, 0, buffer_width, buffer_height);
    glClearColor(0.11F, 0.12F, 0.14F, 1.0F);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    SDL_GL_SwapWindow(app.window);

    ++app.frame;
    app.ready = true;
}

// Writes the reason to the console and stops the module: the page's onAbort
// shows it to the user instead of leaving a blank canvas.
[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "finwave: %s: %s\n", what, SDL_GetError());
    std::abort();
}

}  // namespace

// --- JS API -------------------------------------------------------------------
// Returned strings stay valid until the next call; cwrap copies them at once.
extern "C" {

EMSCRIPTEN_KEEPALIVE const char* finwave_state() {
    static std::string json;
    json = "{\"ready\":" + std::string(g_app.ready ? "true" : "false") +
           ",\"frame\":" + std::to_string(g_app.frame) +
           ",\"input_events\":" + std::to_string(g_app.input_events) +
           ",\"font_glyphs\":" + std::to_string(g_app.font_glyphs) +
           ",\"font_pixel_ratio\":" + std::to_string(g_app.font_pixel_ratio) + "}";
    return json.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* finwave_command(const char* command) {
    static std::string reply;
    const std::string text = command != nullptr ? command : "";
    reply = text == "ping" ? "pong" : "error: unknown command '" + text + "'";
    return reply.c_str();
}

}  // extern "C"

int main() {
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        fail("SDL_Init failed");
    }

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
    g_app.window = SDL_CreateWindow(
        "FinWave", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 1280, 720,
        SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (g_app.window == nullptr) {
        fail("SDL_CreateWindow failed");
    }
    g_app.gl_context = SDL_GL_CreateContext(g_app.window);
    if (g_app.gl_context == nullptr) {
        fail("cannot create a WebGL2 context");
    }

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini on the web: layout state lives in the app
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGui::StyleColorsDark();

    ImGui_ImplSDL2_InitForOpenGL(g_app.window, g_app.gl_context);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    sync_canvas_size(g_app);
    load_fonts(g_app, emscripten_get_device_pixel_ratio());

    // fps 0: follow requestAnimationFrame. simulate_infinite_loop: main()
    // never returns, like the desktop loop it stands for.
    emscripten_set_main_loop_arg(frame, nullptr, 0, true);
    return 0;
}
