// The browser around the app: localStorage, the page's URL, the browser's
// language, opening a link, and the files preload_assets.js fetched into
// the in-memory file system. Every call survives a browser that refuses
// (private mode, storage disabled): it reports instead of throwing.
#pragma once

#include <optional>
#include <string>

namespace finwave::web::platform {

// Nothing when the key is absent; `error` is set when storage refused.
std::optional<std::string> storage_get(const char* key, std::string& error);
bool storage_set(const char* key, const std::string& value, std::string& error);
std::string location_search();
void replace_query(const std::string& query);
std::string browser_language();
void open_url(const std::string& url);
// Tells the page that one of the app's tooltips is open, so that what the
// page lays over the canvas (the offline mark) steps aside for it.
void set_tooltip_open(bool open);
std::optional<std::string> read_file(const std::string& path);

}  // namespace finwave::web::platform
