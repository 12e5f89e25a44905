#pragma once
// For the samples that use a SQLite file ("sqlite:app.db"): runs a test in a fresh temporary folder,
// removed afterwards, so the file belongs to that test alone.
#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace lucid_samples {

class ScopedTempDir {
public:
    ScopedTempDir() : previous_(std::filesystem::current_path()) {
        std::string pattern = (std::filesystem::temp_directory_path() / "lucid-sample.XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
        dir_ = pattern;
        std::filesystem::current_path(dir_);
    }
    ~ScopedTempDir() {
        std::error_code ec;
        std::filesystem::current_path(previous_, ec);
        std::filesystem::remove_all(dir_, ec);
    }
    ScopedTempDir(const ScopedTempDir&) = delete;
    ScopedTempDir& operator=(const ScopedTempDir&) = delete;

private:
    std::filesystem::path previous_, dir_;
};

}  // namespace lucid_samples
