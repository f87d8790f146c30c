# The app's two fonts, subset by scripts/make-font-subset.py from Debian's
# WenQuanYi Micro Hei to exactly what FinWave can show:
#   <dir>/finwave-ui.ttf    the CJK face: ASCII, assets/ui-chars.txt, the UI
#                           string tables and every character under lessons/
#   <dir>/finwave-mono.ttf  the Mono face, printable ASCII only
#   <dir>/finwave-fallback.ttf  the CJK face with all of GB 2312, read only
#                           when a lesson needs a character the subset lacks
# Rebuilt whenever a lesson or the UI's words change, so that new text never
# renders as boxes.
#
#   include(FinwaveFonts)
#   finwave_font_subsets(<target> <dir>)   # a target that builds both (ALL)
#
# Used by the browser's site (web/CMakeLists.txt) and the desktop app
# (web/desktop/CMakeLists.txt).

get_filename_component(_finwave_fonts_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

# Debian's python3, which has fontTools (python3-fonttools): another python3
# first on PATH may not.
set(FINWAVE_FONT_PYTHON "/usr/bin/python3" CACHE FILEPATH "Python with Debian's fontTools")

function(finwave_font_subsets target dir)
    set(_root "${_finwave_fonts_root}")
    file(GLOB_RECURSE _lesson_files CONFIGURE_DEPENDS "${_root}/lessons/*")
    file(GLOB _ui_string_files CONFIGURE_DEPENDS "${_root}/strings/*.txt")
    set(_chars_args)
    foreach(_file IN LISTS _ui_string_files)
        list(APPEND _chars_args --chars "${_file}")
    endforeach()
    set(_ui "${dir}/finwave-ui.ttf")
    set(_mono "${dir}/finwave-mono.ttf")
    add_custom_command(OUTPUT "${_ui}"
        COMMAND "${FINWAVE_FONT_PYTHON}" "${_root}/scripts/make-font-subset.py"
                --lessons "${_root}/lessons"
                --chars "${_root}/assets/ui-chars.txt"
                ${_chars_args}
                --output "${_ui}"
        DEPENDS "${_root}/scripts/make-font-subset.py"
                "${_root}/assets/ui-chars.txt"
                ${_ui_string_files}
                ${_lesson_files}
        COMMENT "Subsetting the CJK font to the characters of lessons/ and the UI"
        VERBATIM)
    # An empty lesson folder: the script then adds printable ASCII only.
    add_custom_command(OUTPUT "${_mono}"
        COMMAND "${FINWAVE_FONT_PYTHON}" "${_root}/scripts/make-font-subset.py"
                --lessons "${CMAKE_CURRENT_BINARY_DIR}/no-lessons"
                --family "WenQuanYi Micro Hei Mono"
                --output "${_mono}"
        DEPENDS "${_root}/scripts/make-font-subset.py"
        COMMENT "Subsetting the monospaced font to ASCII"
        VERBATIM)
    set(_fallback "${dir}/finwave-fallback.ttf")
    add_custom_command(OUTPUT "${_fallback}"
        COMMAND "${FINWAVE_FONT_PYTHON}" "${_root}/scripts/make-font-subset.py"
                --lessons "${_root}/lessons"
                --chars "${_root}/assets/ui-chars.txt"
                ${_chars_args}
                --gb2312
                --output "${_fallback}"
        DEPENDS "${_root}/scripts/make-font-subset.py"
        COMMENT "Subsetting the CJK font to GB 2312 for the fallback"
        VERBATIM)
    add_custom_target(${target} ALL DEPENDS "${_ui}" "${_mono}" "${_fallback}")
endfunction()
