// Shared fixtures: the real lessons from lessons/, read the way the page
// reads them (a path under lessons/ and the file's text).
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "catalog.hpp"
#include "read_file.hpp"
#include "strings.hpp"
#include "tutor.hpp"

namespace finwave::web::test {

using finwave::repo::read_file;

inline Catalog repo_catalog() {
    Catalog c;
    const std::filesystem::path root = std::filesystem::path(FINWAVE_REPO_ROOT) / "lessons";
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file() || !finwave::is_lesson_file_name(entry.path().filename().string())) continue;
        const auto rel = std::filesystem::relative(entry.path(), root).generic_string();
        if (rel.find('/') == std::string::npos) continue;  // lessons/README.md is not a lesson
        c.add_file(rel, read_file(entry.path()));
    }
    return c;
}

// A tutor on the real lessons with the GATE question's lesson open.
inline Tutor gate_tutor() {
    Tutor t(repo_catalog(), builtin_strings());
    REQUIRE(t.open_lesson("states-step-by-step", 0));
    return t;
}

}  // namespace finwave::web::test
