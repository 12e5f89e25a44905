#pragma once
// What a person reads: coloured only on a terminal, tables, durations, lines that a later one replaces.
#include <chrono>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace lucid::command {

enum class Colour { None, Gray, Green, Red, Yellow, Cyan, Dim };

class Output {
public:
    Output(std::ostream& out, std::ostream& err, bool colour) : out(out), err(err), colour_(colour) {}

    std::string paint(Colour c, std::string_view text) const;
    // A line that the next `line` or `replaceable` call overwrites, on a terminal; nothing elsewhere
    // (a log file gets only the final lines).
    void replaceable(const std::string& text);
    void line(const std::string& text);
    void error(const std::string& text);  // one line on `err`, in red on a terminal
    // A boxed table; cells may hold colour codes (they take no width).
    void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows);

    std::ostream& out;
    std::ostream& err;

private:
    bool colour_;
    bool pending_ = false;  // a replaceable line is on screen
};

// "850 μs", "12 ms", "1.25 s"
std::string formatDuration(std::chrono::steady_clock::duration d);

}  // namespace lucid::command
