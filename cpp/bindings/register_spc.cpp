// _core.spc.compute: columns in, a dict of numpy columns out. The GIL is released while the
// engine runs: from here on only C++ types are touched (convert.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <qiscope/io/json.hpp>
#include <qiscope/spc.hpp>

#include "convert.hpp"
#include "register.hpp"

namespace qiscope::bindings {

namespace {

/// int32 phase numbers as the int64 column the result has, the int32 vector freed at once
/// (so that no copy is made later, while every other column is alive).
std::vector<std::int64_t> widened(std::vector<std::int32_t>&& v) {
  std::vector<std::int64_t> out(v.begin(), v.end());
  std::vector<std::int32_t>().swap(v);
  return out;
}

/// The point columns Python uses, those that were computed (y_count and row are left to be
/// freed here). Each becomes a numpy array without a copy, and the vector is freed at once.
py::dict points_dict(spc::Points&& p) {
  py::dict d;
  spc::for_each_column([&](std::string_view name, auto column) {
    auto& values = p.*column;
    if (name == "row" || name == "y_count" || values.empty()) return;
    using T = typename std::remove_reference_t<decltype(values)>::value_type;
    if constexpr (std::is_same_v<T, std::int32_t>)
      d[py::str(std::string(name))] = to_numpy(widened(std::move(values)));
    else if constexpr (std::is_enum_v<T>) {
      d[py::str(std::string(name))] = codes_to_numpy(values);
      std::vector<T>().swap(values);
    } else
      d[py::str(std::string(name))] = to_numpy(std::move(values));
  });
  return d;
}

py::dict phases_dict(spc::Phases&& s) {
  py::dict d;
  d["series"] = to_numpy(std::move(s.series));
  d["phase"] = to_numpy(std::move(s.phase));
  d["first"] = to_numpy(std::move(s.first));
  d["length"] = to_numpy(std::move(s.length));
  d["n_obs"] = to_numpy(std::move(s.n_obs));
  d["n_useful"] = to_numpy(std::move(s.n_useful));
  d["cl"] = to_numpy(std::move(s.cl));
  d["lcl"] = to_numpy(std::move(s.lcl));
  d["ucl"] = to_numpy(std::move(s.ucl));
  d["longest_run"] = to_numpy(std::move(s.longest_run));
  d["longest_run_max"] = to_numpy(std::move(s.longest_run_max));
  d["n_crossings"] = to_numpy(std::move(s.n_crossings));
  d["n_crossings_min"] = to_numpy(std::move(s.n_crossings_min));
  d["runs_signal"] = to_numpy(std::move(s.runs_signal));
  d["sigma_signal"] = to_numpy(std::move(s.sigma_signal));
  d["variation"] = codes_to_numpy(s.variation);
  d["assurance"] = codes_to_numpy(s.assurance);
  return d;
}

template <class E, std::size_t N>
py::list names(const spc::detail::NameTable<E, N>& table) {
  py::list out;
  for (std::size_t code = 0; code < N; ++code)
    out.append(std::string(spc::detail::name_of(table, static_cast<E>(code))));
  return out;
}

py::dict compute(const std::string& spec_json, const py::object& y, const py::object& n,
                 const py::object& series, const py::object& x, const py::object& phase_label,
                 const py::object& exclude, const py::object& target, const py::object& risk,
                 const std::optional<std::vector<std::string>>& point_columns,
                 std::size_t batch_points) {
  const spc::Spec spec = io::parse(spec_json, "spec").get<spc::Spec>();
  auto y_col = column<double>(y, "y");
  auto n_col = column<double>(n, "n");
  auto series_col = column<std::int64_t>(series, "by");
  auto x_col = column<std::int64_t>(x, "x");
  auto phase_col = column<std::int64_t>(phase_label, "part");
  auto exclude_col = column<std::uint8_t>(exclude, "exclude");
  auto target_col = column<double>(target, "target");
  auto risk_col = column<double>(risk, "risk");
  spc::Observations obs{y_col.view, n_col.view, series_col.view, x_col.view,
                        phase_col.view, exclude_col.view, target_col.view, risk_col.view};
  spc::PointColumns columns;
  columns.batch_points = batch_points;
  // Phase labels name each phase after its first point's input row (below).
  const bool labelled_phases = !phase_col.view.empty();
  if (point_columns) {
    columns.keep = *point_columns;
    if (labelled_phases) columns.keep.push_back("row");
  }
  spc::Result result;
  {
    // Safe: obs holds spans into arrays owned by the Column objects above, which outlive
    // this block; the engine touches no Python object.
    py::gil_scoped_release nogil;
    result = spc::compute(obs, spec, columns);
  }
  // The input row of each phase's first point, with phase labels (the per-point rows are not
  // returned: 8 bytes a point less while the result frame is built).
  std::vector<std::int64_t> first_row;
  if (labelled_phases) {  // then the rows were kept (above, or with every column)
    first_row.resize(result.phases.size());
    for (std::size_t j = 0; j < first_row.size(); ++j)
      first_row[j] = result.points.row[static_cast<std::size_t>(result.phases.first[j])];
  }
  py::dict out;
  out["points"] = points_dict(std::move(result.points));
  out["phases"] = phases_dict(std::move(result.phases));
  if (labelled_phases) out["phases"]["first_row"] = to_numpy(std::move(first_row));
  return out;
}

/// x_gap of every point (see spc/gaps.hpp), as a numpy bool array.
py::array x_gaps(const py::object& series, const py::object& x, const py::object& x_position, double factor,
                 int n_threads) {
  auto series_col = column<std::int64_t>(series, "series");
  auto x_col = column<std::int64_t>(x, "x");
  auto position_col = column<double>(x_position, "x_position");
  std::vector<std::uint8_t> flags;
  {
    py::gil_scoped_release nogil;  // the spans point into arrays held by the Column objects
    flags = spc::x_gaps(series_col.view, x_col.view, position_col.view, factor, n_threads);
  }
  return to_numpy(std::move(flags)).view("bool");
}

}  // namespace

void register_spc(py::module_& m) {
  m.def("compute", &compute, py::arg("spec_json"), py::arg("y"), py::arg("n") = py::none(),
        py::arg("series") = py::none(), py::arg("x") = py::none(),
        py::arg("phase_label") = py::none(), py::arg("exclude") = py::none(),
        py::arg("target") = py::none(), py::arg("risk") = py::none(),
        py::arg("point_columns") = py::none(),
        py::arg("batch_points") = spc::PointColumns{}.batch_points,
        "Compute SPC charts for many series; returns {'points': {...}, 'phases': {...}}. "
        "point_columns: the point columns to return (None: all); batch_points: points computed "
        "at a time (working memory; the results do not depend on it).");
  m.def("x_gaps", &x_gaps, py::arg("series"), py::arg("x"), py::arg("x_position"),
        py::arg("factor") = spc::default_gap_factor, py::arg("n_threads") = 0,
        "For each point (ordered by series, then x; x codes into x_position), whether its step "
        "from the previous point of its series is more than factor times the series' median step.");
  m.def("resolve_spec", [](const std::string& spec_json) {
    const auto spec = io::parse(spec_json, "spec").get<spc::Spec>();
    return nlohmann::json(spec).dump();
  }, "Validate a spec and return it with every field (JSON).");
  m.attr("point_type_names") = names(spc::detail::point_type_names);
  m.attr("variation_names") = names(spc::detail::variation_names);
  m.attr("assurance_names") = names(spc::detail::assurance_names);
}

}  // namespace qiscope::bindings
