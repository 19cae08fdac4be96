// Splitting list text into items, and reading list items from files (Exim
// spec, "Lists" and "File names in lists"; string_nextinlist semantics).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ocspmx/result.hpp"

namespace ocspmx::hostlist {

// Items of a list, trimmed. The separator is ':' unless the list starts with
// '<' and a punctuation character, which then becomes the separator. A
// doubled separator stands for one literal separator character inside an
// item ("fe80::::1" is the item "fe80::1"). An empty item is kept
// ("a : : b" has three items) but nothing follows a final separator.
[[nodiscard]] std::vector<std::string> split_list(std::string_view text);

// Lines of a list file: everything from '#' on is a comment (host lists
// only), lines are trimmed and empty ones dropped. Errors name the file.
[[nodiscard]] Result<std::vector<std::string>> read_list_file(const std::string& path);

// Keys of an lsearch file: each line that does not start with white space
// or '#' begins with a key, quoted ("..." with backslash escapes) or ended
// by ':' or white space. Keys are returned as written.
[[nodiscard]] Result<std::vector<std::string>> read_lsearch_keys(const std::string& path);

}  // namespace ocspmx::hostlist
