// Output for people: ANSI colours only on a terminal, boxed tables as AdonisJS's ui.table draws them.
#include "command/output.hpp"

#include <algorithm>
#include <cstdio>

namespace lucid::command {
namespace {

const char* code(Colour c) {
    switch (c) {
    case Colour::None: return "";
    case Colour::Gray: return "\033[90m";
    case Colour::Green: return "\033[32m";
    case Colour::Red: return "\033[31m";
    case Colour::Yellow: return "\033[33m";
    case Colour::Cyan: return "\033[36m";
    case Colour::Dim: return "\033[2m";
    }
    return "";
}

// Columns on screen: UTF-8 continuation bytes and colour sequences take none.
std::size_t width(std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\033') {
            while (i < s.size() && s[i] != 'm') ++i;
            continue;
        }
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
    }
    return n;
}

std::string repeat(std::string_view piece, std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += piece;
    return s;
}

}  // namespace

std::string Output::paint(Colour c, std::string_view text) const {
    if (!colour_ || c == Colour::None) return std::string(text);
    return code(c) + std::string(text) + "\033[0m";
}

void Output::replaceable(const std::string& text) {
    if (!colour_) return;
    out << (pending_ ? "\r\033[2K" : "") << text << std::flush;
    pending_ = true;
}

void Output::line(const std::string& text) {
    if (pending_) out << "\r\033[2K";
    pending_ = false;
    out << text << '\n' << std::flush;
}

void Output::error(const std::string& text) {
    if (pending_) line("");
    err << paint(Colour::Red, text) << '\n' << std::flush;
}

void Output::table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& h : head) widths.push_back(width(h));
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], width(r[i]));
    auto rule = [&](const char* left, const char* mid, const char* right) {
        std::string s = left;
        for (std::size_t i = 0; i < widths.size(); ++i) s += repeat("─", widths[i] + 2) + (i + 1 < widths.size() ? mid : right);
        line(paint(Colour::Gray, s));
    };
    auto row = [&](const std::vector<std::string>& cells, bool isHead) {
        const std::string bar = paint(Colour::Gray, "│");
        std::string s = bar;
        for (std::size_t i = 0; i < widths.size(); ++i) {
            const std::string cell = i < cells.size() ? cells[i] : "";
            s += " " + (isHead ? paint(Colour::Cyan, cell) : cell) + std::string(widths[i] - width(cell), ' ') + " " + bar;
        }
        line(s);
    };
    rule("┌", "┬", "┐");
    row(head, true);
    rule("├", "┼", "┤");
    for (const auto& r : rows) row(r, false);
    rule("└", "┴", "┘");
}

std::string formatDuration(std::chrono::steady_clock::duration d) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    char buf[32];
    if (us < 1000) std::snprintf(buf, sizeof buf, "%lld μs", static_cast<long long>(us));
    else if (us < 1000000) std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(us / 1000));
    else std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(us) / 1e6);
    return buf;
}

}  // namespace lucid::command
