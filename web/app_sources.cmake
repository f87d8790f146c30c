# The app's sources shared by the browser build (web/CMakeLists.txt) and the
# desktop app (web/desktop/CMakeLists.txt): everything but the entry point
# and the platform layer, which each adds for itself.
#
# Panels are found by name (web/panel_*.cpp), so a new panel needs no line
# here: its own files, and its registration in app.cpp.
file(GLOB FINWAVE_PANEL_SOURCES CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/panel_*.cpp")
set(FINWAVE_APP_SOURCES
    "${CMAKE_CURRENT_LIST_DIR}/app.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/shell.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/shell_fonts.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/ui.cpp"
    "${CMAKE_CURRENT_LIST_DIR}/markdown_view.cpp"
    ${FINWAVE_PANEL_SOURCES})
