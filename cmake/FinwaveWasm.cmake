# Everything a FinWave WebAssembly target needs, in one place: the Emscripten
# flags, Dear ImGui built from Debian's source package against SDL2 built for
# WASM (both fetched and cached by scripts/setup.sh), and Debian's header-only
# packages made reachable without /usr/include.
#
#   include(FinwaveWasm)
#   finwave_wasm_app(<target>
#       [SHELL <index.html>]          # copied next to the .js as the page
#       [PRE_JS <file>...]            # run before the runtime starts
#       [POST_JS <file>...]           # run after the runtime code is defined
#       [EXPORT_NAME <name>])         # factory function, default create<Target>Module
#
# The target's .js, .wasm and shell page land together in its RUNTIME_OUTPUT
# directory, which is therefore a complete site root.
#
# Other helpers, for targets that are not the app (e.g. WASM unit tests):
#   finwave_wasm_node_path(<target>)  # see the note on NODE_PATH below
#   finwave_wasm_headers              # INTERFACE target: doctest, nlohmann

# Set for every includer, before the guard: the first include may come from
# another directory (tests, bench), whose scope this variable would not leave.
get_filename_component(FINWAVE_REPO_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

include_guard(GLOBAL)

if(NOT EMSCRIPTEN)
    message(FATAL_ERROR "FinwaveWasm.cmake is for Emscripten builds (emcmake cmake ...)")
endif()

set(FINWAVE_WASM_DEPS_DIR "${FINWAVE_REPO_ROOT}/build/deps" CACHE PATH
    "Where scripts/setup.sh keeps the unpacked source packages and the WASM build of SDL2")

if(NOT EXISTS "${FINWAVE_WASM_DEPS_DIR}/sdl2-wasm/finwave.stamp"
   OR NOT EXISTS "${FINWAVE_WASM_DEPS_DIR}/src/imgui/imgui.cpp")
    message(FATAL_ERROR
        "The WASM dependencies are missing from ${FINWAVE_WASM_DEPS_DIR}: run scripts/setup.sh")
endif()

# Link flags of non-Debug builds (a list). Measured on the app shell
# (wasm / wasm gzipped / js gzipped, bytes):
#   build type MinSizeRel (-Os compile), link -Os   554,038 / 192,753 / 47,660  <- chosen
#   MinSizeRel, link -Oz                            548,660 / 192,553 / 47,603  (1% less, slower code)
#   MinSizeRel, link -Os, -flto                     557,691 / 193,626 / 48,041
#   Release (-O3 compile), link -Os                 618,000 / 211,519 / 47,675
#   Release, link -O2                               635,035 / 209,384 / 49,017
# The compile level moves the size most, so scripts/build-web.sh builds
# MinSizeRel. --closure would shrink the JS further but cannot run here:
# Debian's closure-compiler (2013) rejects emscripten 3.1.6's options
# ("--language_out is not a valid option"), and there is no other.
# ASSERTIONS are off already at -Os (the output is byte for byte the same
# with -sASSERTIONS=0). -sFILESYSTEM=0 would save 13 KB of gzipped JS, but
# preload_assets.js hands the fetched lessons and fonts to the app through
# the in-memory file system. scripts/build-web.sh then runs binaryen's
# wasm-opt -Oz over the linked module and terser over the JS.
# A cache variable so that an experiment needs no edit: -DFINWAVE_WASM_RELEASE_OPT="-Oz".
set(FINWAVE_WASM_RELEASE_OPT "-Os" CACHE STRING "Emscripten link flags for non-Debug builds (a list)")

# --- NODE_PATH ------------------------------------------------------------------
# Debian's emscripten runs its JS optimizer (at link time, when optimizing) with
# /usr/bin/node and needs Debian's `acorn` module from /usr/share/nodejs. When
# /usr/bin/node is not Debian's own node (here a newer Node), it does not look
# there and the link fails with "Cannot find module 'acorn'". A link launcher
# sets the variable for the link step only, so every way of building works
# (scripts, an IDE, a bare `cmake --build`) without a special environment.
function(finwave_wasm_node_path target)
    set_property(TARGET ${target} PROPERTY RULE_LAUNCH_LINK
        "${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs")
endfunction()

# --- Header-only Debian packages ----------------------------------------------
# `-I/usr/include` would drag the host's glibc headers into a WASM compile and
# break it. A folder holding nothing but links to the packages' own folders,
# passed with -isystem, exposes exactly those headers.
if(NOT TARGET finwave_wasm_headers)
    set(_finwave_header_links "${CMAKE_BINARY_DIR}/wasm-include")
    file(MAKE_DIRECTORY "${_finwave_header_links}")
    foreach(_package_dir IN ITEMS doctest nlohmann)
        if(EXISTS "/usr/include/${_package_dir}" AND NOT EXISTS "${_finwave_header_links}/${_package_dir}")
            file(CREATE_LINK "/usr/include/${_package_dir}"
                "${_finwave_header_links}/${_package_dir}" SYMBOLIC)
        endif()
    endforeach()
    add_library(finwave_wasm_headers INTERFACE)
    target_include_directories(finwave_wasm_headers SYSTEM INTERFACE "${_finwave_header_links}")
    # Emscripten aborts on a throw unless catching is enabled (which costs size):
    # the parsers report errors by return value instead.
    target_compile_definitions(finwave_wasm_headers INTERFACE TOML_EXCEPTIONS=0)
endif()

# --- SDL2 (static, built for WASM by scripts/setup.sh) -------------------------
# NO_CMAKE_FIND_ROOT_PATH: Emscripten's toolchain file re-roots every search
# into its sysroot, where this package is not.
find_package(SDL2 CONFIG REQUIRED
    PATHS "${FINWAVE_WASM_DEPS_DIR}/sdl2-wasm" NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)

# --- Dear ImGui (Debian's source package) --------------------------------------
# Debian's libimgui-dev is a native library; for WASM the same release is
# compiled from its source package, with the SDL2 and OpenGL3 backends.
if(NOT TARGET finwave_imgui)
    set(_imgui "${FINWAVE_WASM_DEPS_DIR}/src/imgui")
    add_library(finwave_imgui STATIC EXCLUDE_FROM_ALL
        "${_imgui}/imgui.cpp"
        "${_imgui}/imgui_demo.cpp"      # Demo/Metrics windows: linked only if used
        "${_imgui}/imgui_draw.cpp"
        "${_imgui}/imgui_tables.cpp"
        "${_imgui}/imgui_widgets.cpp"
        "${_imgui}/backends/imgui_impl_sdl.cpp"
        "${_imgui}/backends/imgui_impl_opengl3.cpp")
    target_include_directories(finwave_imgui SYSTEM PUBLIC "${_imgui}" "${_imgui}/backends")
    # WebGL2 is OpenGL ES 3.0; without this the backend assumes ES2 on
    # Emscripten and compiles "#version 100" shaders.
    # No Demo and Metrics windows nor the debug log and item picker: the app
    # never opens them (see the size table in the README).
    target_compile_definitions(finwave_imgui PUBLIC
        IMGUI_IMPL_OPENGL_ES3 IMGUI_DISABLE_OBSOLETE_FUNCTIONS
        IMGUI_DISABLE_DEMO_WINDOWS IMGUI_DISABLE_DEBUG_TOOLS)
    target_link_libraries(finwave_imgui PUBLIC SDL2::SDL2-static)
    # Third-party code: its warnings are not ours to fix.
    target_compile_options(finwave_imgui PRIVATE -w)
endif()

# --- The app -------------------------------------------------------------------
function(finwave_wasm_app target)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "SHELL;EXPORT_NAME" "PRE_JS;POST_JS")
    if(NOT arg_EXPORT_NAME)
        string(SUBSTRING "${target}" 0 1 _first)
        string(SUBSTRING "${target}" 1 -1 _rest)
        string(TOUPPER "${_first}" _first)
        set(arg_EXPORT_NAME "create${_first}${_rest}Module")
    endif()

    # Emit .js + .wasm, never .html: Emscripten's HTML output needs htmlmin,
    # which Debian's package lacks; the page is the project's own shell.
    set_target_properties(${target} PROPERTIES SUFFIX ".js")
    target_link_libraries(${target} PRIVATE finwave_imgui finwave_wasm_headers)
    finwave_wasm_node_path(${target})

    target_link_options(${target} PRIVATE
        # WebGL2 only: the renderer uses ES 3.0 shaders, and one context
        # version means one code path to test.
        -sMIN_WEBGL_VERSION=2
        -sMAX_WEBGL_VERSION=2
        # Fonts, lessons and traces grow with content, not with code.
        -sALLOW_MEMORY_GROWTH=1
        # A factory function instead of a global Module: the page decides when
        # to start and sees load failures as a rejected promise.
        -sMODULARIZE=1
        -sEXPORT_NAME=${arg_EXPORT_NAME}
        # Browser main thread only: drops the Node and worker loaders
        # (web,worker: 0.3 KB more JS, and the app never runs in a worker).
        -sENVIRONMENT=web
        # A small allocator: the app allocates little after start
        # (8 KB less wasm than dlmalloc, measured).
        -sMALLOC=emmalloc
        # The C API itself is marked EMSCRIPTEN_KEEPALIVE next to its code;
        # cwrap/ccall turn it into JS functions (also handy in the console).
        -sEXPORTED_FUNCTIONS=_main
        -sEXPORTED_RUNTIME_METHODS=ccall,cwrap
        # Debug: check the runtime's own invariants and keep names in stacks.
        $<$<CONFIG:Debug>:-sASSERTIONS=1>
        $<$<CONFIG:Debug>:-g>
        # Otherwise: for size (see FINWAVE_WASM_RELEASE_OPT above).
        $<$<NOT:$<CONFIG:Debug>>:${FINWAVE_WASM_RELEASE_OPT}>)

    foreach(_js IN LISTS arg_PRE_JS)
        get_filename_component(_js "${_js}" ABSOLUTE)
        target_link_options(${target} PRIVATE "SHELL:--pre-js \"${_js}\"")
        set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${_js}")
    endforeach()
    foreach(_js IN LISTS arg_POST_JS)
        get_filename_component(_js "${_js}" ABSOLUTE)
        target_link_options(${target} PRIVATE "SHELL:--post-js \"${_js}\"")
        set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${_js}")
    endforeach()

    if(arg_SHELL)
        get_filename_component(_shell "${arg_SHELL}" ABSOLUTE)
        get_target_property(_site ${target} RUNTIME_OUTPUT_DIRECTORY)
        if(NOT _site)
            set(_site "${CMAKE_CURRENT_BINARY_DIR}")
        endif()
        add_custom_command(OUTPUT "${_site}/index.html"
            COMMAND ${CMAKE_COMMAND} -E copy_if_different "${_shell}" "${_site}/index.html"
            DEPENDS "${_shell}"
            COMMENT "Copying the shell page for ${target}")
        add_custom_target(${target}_shell ALL DEPENDS "${_site}/index.html")
        add_dependencies(${target} ${target}_shell)
    endif()
endfunction()

# --- Programs run under node (tests, benchmarks) ----------------------------------
# NODERAWFS: the program sees the real file system (golden files, scenario
# files). SINGLE_FILE: the .wasm is inlined, because node's fetch() of a local
# .wasm fails with Debian's emscripten 3.1.6 ("Failed to parse URL").
# Exceptions are caught so that a failing doctest REQUIRE reports instead of
# aborting; size does not matter here.
function(finwave_wasm_node_program target)
    # Emscripten emits CommonJS; the repository's package.json declares ES
    # modules, so the build tree says otherwise for everything below it.
    file(WRITE "${CMAKE_BINARY_DIR}/package.json" "{ \"type\": \"commonjs\" }\n")
    target_compile_options(${target} PRIVATE -fexceptions)
    target_link_options(${target} PRIVATE
        -fexceptions
        -sENVIRONMENT=node
        -sNODERAWFS=1
        -sSINGLE_FILE=1
        -sALLOW_MEMORY_GROWTH=1
        -sEXIT_RUNTIME=1)
    finwave_wasm_node_path(${target})
endfunction()
