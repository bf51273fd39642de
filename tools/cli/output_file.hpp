// Report files named on the command line; "-" is standard output, as Unix tools have it.
#pragma once

#include <ostream>
#include <string>

namespace probecheck::cli {

/// "-": standard input for a model, standard output for a report.
[[nodiscard]] inline bool is_standard_stream(std::string const& path) { return path == "-"; }

/// Writes `text` to `path` (or to `out` for "-"); false, with a message on `err`, if it
/// cannot be written.
bool write_output(std::string const& path, std::string const& text, std::ostream& out, std::ostream& err);

}  // namespace probecheck::cli
