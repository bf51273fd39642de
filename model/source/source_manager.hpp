// Source buffers of every loaded .model file. A SourceLoc is {file, byte offset}; line and
// column are computed on demand from a per-file table of line starts, so the lexer and the
// AST carry 8-byte locations only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace probecheck::model {

/// Index of a file in the SourceManager.
struct FileId {
    uint32_t value = UINT32_MAX;
    [[nodiscard]] bool valid() const { return value != UINT32_MAX; }
    friend bool operator==(FileId, FileId) = default;
};

/// A position in a source buffer: byte offset into one file.
struct SourceLoc {
    FileId file;
    uint32_t offset = 0;
    [[nodiscard]] bool valid() const { return file.valid(); }
};

/// 1-based line and column of a SourceLoc (column counts bytes, tabs expand to 8).
struct LineCol {
    uint32_t line = 0;
    uint32_t column = 0;
};

/// Owns the text of every model file and maps locations to lines.
class SourceManager {
public:
    /// Adds an in-memory buffer (tests, stdin). `name` is what diagnostics print.
    FileId add_buffer(std::string name, std::string text);
    /// Reads a file from disk; nullopt if it cannot be read.
    std::optional<FileId> add_file(std::string const& path);

    [[nodiscard]] std::string_view text(FileId f) const { return files_[f.value].text; }
    [[nodiscard]] std::string const& name(FileId f) const { return files_[f.value].name; }
    [[nodiscard]] LineCol line_col(SourceLoc loc) const;
    /// The text of 1-based line `line` without its newline.
    [[nodiscard]] std::string_view line_text(FileId f, uint32_t line) const;
    [[nodiscard]] size_t file_count() const { return files_.size(); }

private:
    struct File {
        std::string name;
        std::string text;
        std::vector<uint32_t> line_starts;
    };
    std::vector<File> files_;
};

}  // namespace probecheck::model
