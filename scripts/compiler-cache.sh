# Sourced by scripts/test.sh and scripts/start.sh (needs ROOT set): compile
# through ccache when it is installed (scripts/setup.sh installs it), so that
# another clone of the project on the same machine, such as a CI run,
# reuses the objects of the last one.
#
# CMake reads the launcher variables when it first configures a build
# folder. CCACHE_BASEDIR makes the paths on the command lines relative to the
# clone, and CCACHE_NOHASHDIR leaves the working directory out of the key
# (it only changes where a debugger looks for the sources), so objects from
# another folder match.
if command -v ccache >/dev/null 2>&1; then
    export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
    export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=true
fi
