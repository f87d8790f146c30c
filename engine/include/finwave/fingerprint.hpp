// Fingerprints that tell whether a run is the experiment that was checked:
// the same scenario text and the same knob values. The kernel conformance
// report records them, and the app shows "checked against the real Linux
// kernel" only while both still match.
#pragma once

#include <string>
#include <string_view>

#include "finwave/knobs.hpp"

namespace finwave {

// 64-bit FNV-1a of the bytes, as 16 hex digits. Not a security hash: it
// detects an edit, nobody is trying to forge one.
std::string fingerprint(std::string_view text);
// Of every knob's value ("name=value" lines in knob_catalog() order) and the
// profile: any knob changed, added or removed changes it.
std::string knobs_fingerprint(const Knobs& k);

}  // namespace finwave
