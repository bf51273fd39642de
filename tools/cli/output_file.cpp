#include "tools/cli/output_file.hpp"

#include <fstream>

namespace probecheck::cli {

bool write_output(std::string const& path, std::string const& text, std::ostream& out, std::ostream& err) {
    if (is_standard_stream(path)) {
        out << text << std::flush;
        if (out) return true;
        err << "probecheck: error: cannot write the report to standard output\n";
        return false;
    }
    std::ofstream f(path);
    f << text;
    f.flush();
    if (f) return true;
    err << "probecheck: error: cannot write '" << path << "'\n";
    return false;
}

}  // namespace probecheck::cli
