// How the app opens: the page's URL, the saved language and progress, the
// browser's language (web/model/startup.hpp). Input: those four fields,
// separated by NUL bytes. Whatever they hold, the app opens somewhere, and
// the URL it then shows reopens exactly there.
#include <cstddef>
#include <cstdint>

#include "common.hpp"
#include "fail.hpp"
#include "startup.hpp"

using namespace finwave;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto f = fuzz::fields(data, size, 4);
    (void)web::parse_query(f[0]);
    web::Tutor tutor = fuzz::repo_tutor();
    web::start(tutor, {f[0], f[1], f[2], f[3]});
    if (!tutor.in_sandbox() && tutor.lesson_id().empty()) fuzz::fail("the app opened nothing");
    const std::string query = web::location_query(tutor);
    web::Tutor again = fuzz::repo_tutor();
    web::start(again, {query, "", "", ""});
    if (again.lesson_id() != tutor.lesson_id() || again.step_index() != tutor.step_index() ||
        again.sandbox_scenario() != tutor.sandbox_scenario() || again.lang() != tutor.lang())
        fuzz::fail(query + " does not reopen where the app was");
    return 0;
}
