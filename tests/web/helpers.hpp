// Shared fixtures: the real lessons from lessons/, read the way the page
// reads them (a path under lessons/ and the file's text).
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "catalog.hpp"
#include "finwave/lesson_folder.hpp"
#include "read_file.hpp"
#include "strings.hpp"
#include "tutor.hpp"

namespace finwave::web::test {

using finwave::repo::read_file;

inline Catalog repo_catalog() {
    Catalog c;
    const std::filesystem::path root = std::filesystem::path(FINWAVE_REPO_ROOT) / "lessons";
    for (const finwave::LessonFile& f : finwave::lesson_files(root)) c.add_file(f.rel, read_file(f.path));
    return c;
}

// A tutor on the real lessons with the GATE question's lesson open.
inline Tutor gate_tutor() {
    Tutor t(repo_catalog(), builtin_strings());
    REQUIRE(t.open_lesson("states-step-by-step", 0));
    return t;
}

}  // namespace finwave::web::test
