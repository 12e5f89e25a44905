// Page::toJSON()'s compiled half: Lucid's SimplePaginator.getMeta() and the rows of a database query's page.
#include <lucid/json.hpp>
#include <lucid/result.hpp>
#include <lucid/detail/query_nodes.hpp>

namespace lucid::detail {
namespace {

// Lucid's getUrl: `${url}?page=N`, a page below 1 as 1.
std::string pageUrl(const std::string& baseUrl, int64_t page) { return baseUrl + "?page=" + std::to_string(page < 1 ? 1 : page); }

}  // namespace

void pageMeta(nlohmann::json& out, int64_t total, int64_t perPage, int64_t currentPage, int64_t lastPage, const std::string& baseUrl) {
    out = {{"total", total},
           {"perPage", perPage},
           {"currentPage", currentPage},
           {"lastPage", lastPage},
           {"firstPage", 1},
           {"firstPageUrl", pageUrl(baseUrl, 1)},
           {"lastPageUrl", pageUrl(baseUrl, lastPage)},
           {"nextPageUrl", currentPage < lastPage ? nlohmann::json(pageUrl(baseUrl, currentPage + 1)) : nlohmann::json(nullptr)},
           {"previousPageUrl", currentPage > 1 ? nlohmann::json(pageUrl(baseUrl, currentPage - 1)) : nlohmann::json(nullptr)}};
}

void rowJson(nlohmann::json& out, const Row& row) {
    out = nlohmann::json::object();
    for (std::size_t i = 0; i < row.size(); ++i) out[row.columns()[i]] = toJson(row.at(i));
}

}  // namespace lucid::detail
