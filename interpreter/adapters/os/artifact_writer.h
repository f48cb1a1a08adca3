#pragma once
// Writes run artifacts: creates the directory, and writes each file whole
// (a temporary file renamed into place), so that a crash never leaves half a
// report behind.

#include <string>

namespace runbook::adapters {

// Creates `dir` and its parents. False with `error` set on failure.
bool make_directories(const std::string& dir, std::string* error);

// Writes `content` to `path` atomically. False with `error` set on failure.
bool write_file_atomically(const std::string& path, const std::string& content, std::string* error);

}  // namespace runbook::adapters
