// The app's view of the shared string tables (strings/, finwave_strings):
// the same tables the CLI uses.
#pragma once

#include "finwave/ui_strings.hpp"

namespace finwave::web {

using i18n::builtin_strings;
using i18n::EmbeddedText;
using i18n::kLangCount;
using i18n::Lang;
using i18n::lang_code;
using i18n::parse_lang;
using i18n::UiStrings;

}  // namespace finwave::web
