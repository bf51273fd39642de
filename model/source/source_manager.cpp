// Line tables are built once per buffer; lookups are binary searches.
#include "model/source/source_manager.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace probecheck::model {

FileId SourceManager::add_buffer(std::string name, std::string text) {
    File f{std::move(name), std::move(text), {0}};
    for (uint32_t i = 0; i < f.text.size(); ++i) {
        if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
    }
    files_.push_back(std::move(f));
    return FileId{static_cast<uint32_t>(files_.size() - 1)};
}

std::optional<FileId> SourceManager::add_file(std::string const& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return add_buffer(path, ss.str());
}

LineCol SourceManager::line_col(SourceLoc loc) const {
    if (!loc.valid()) return {};
    File const& f = files_[loc.file.value];
    auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), loc.offset);
    uint32_t line = static_cast<uint32_t>(it - f.line_starts.begin());
    uint32_t start = f.line_starts[line - 1];
    uint32_t col = 1;
    for (uint32_t i = start; i < loc.offset && i < f.text.size(); ++i) {
        col = f.text[i] == '\t' ? ((col - 1) / 8 + 1) * 8 + 1 : col + 1;
    }
    return {line, col};
}

std::string_view SourceManager::line_text(FileId fid, uint32_t line) const {
    File const& f = files_[fid.value];
    if (line == 0 || line > f.line_starts.size()) return {};
    uint32_t start = f.line_starts[line - 1];
    uint32_t end = line < f.line_starts.size() ? f.line_starts[line] - 1
                                               : static_cast<uint32_t>(f.text.size());
    std::string_view sv(f.text);
    sv = sv.substr(start, end - start);
    if (!sv.empty() && sv.back() == '\r') sv.remove_suffix(1);
    return sv;
}

}  // namespace probecheck::model
