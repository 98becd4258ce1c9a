// _core.funnel.compute: columns in, a dict of numpy columns and scalars out. The GIL is
// released while the core runs (convert.hpp).

#include <string>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <qiscope/io/json.hpp>
#include <qiscope/spc/funnel.hpp>

#include "convert.hpp"
#include "register.hpp"

namespace qiscope::bindings {

namespace {

/// Limits indexed [coverage][i] as a list of numpy columns, one per coverage.
py::list by_coverage(std::vector<std::vector<double>>&& columns) {
  py::list out;
  for (auto& c : columns) out.append(to_numpy(std::move(c)));
  return out;
}

py::dict compute(const std::string& spec_json, const py::object& y, const py::object& n,
                 const py::object& unit) {
  const funnel::Spec spec = io::parse(spec_json, "spec").get<funnel::Spec>();
  auto y_col = column<double>(y, "y");
  auto n_col = column<double>(n, "n");
  auto unit_col = column<std::int64_t>(unit, "by");
  const funnel::Observations obs{y_col.view, n_col.view, unit_col.view};
  funnel::Result r;
  {
    // Safe: obs holds spans into arrays owned by the Column objects above, which outlive this
    // block; the core touches no Python object.
    py::gil_scoped_release nogil;
    r = funnel::compute(obs, spec);
  }
  py::dict units;
  units["unit"] = to_numpy(std::move(r.units.unit));
  units["row"] = to_numpy(std::move(r.units.row));
  units["y"] = to_numpy(std::move(r.units.y));
  units["n"] = to_numpy(std::move(r.units.n));
  units["value"] = to_numpy(std::move(r.units.value));
  units["z"] = to_numpy(std::move(r.units.z));
  units["z_winsorised"] = to_numpy(std::move(r.units.z_winsorised));
  units["lcl"] = by_coverage(std::move(r.units.lcl));
  units["ucl"] = by_coverage(std::move(r.units.ucl));
  units["outlier"] = to_numpy(std::move(r.units.outlier));
  py::dict limits;
  limits["n"] = to_numpy(std::move(r.limits.n));
  limits["lcl"] = by_coverage(std::move(r.limits.lcl));
  limits["ucl"] = by_coverage(std::move(r.limits.ucl));
  limits["lcl_unadjusted"] = by_coverage(std::move(r.limits.lcl_unadjusted));
  limits["ucl_unadjusted"] = by_coverage(std::move(r.limits.ucl_unadjusted));
  py::dict out;
  out["units"] = units;
  out["limits"] = limits;
  // The spec with the profile's choices filled in, so the result says which method was used.
  const funnel::Options used = funnel::resolve(r.spec);
  nlohmann::json spec_used = r.spec;
  spec_used["sr_method"] = r.spec.kind == funnel::Kind::ratio ? nlohmann::json(funnel::to_string(used.sr_method))
                                                               : nlohmann::json(nullptr);
  spec_used["limit_method"] = funnel::to_string(used.limit_method);
  spec_used["shmi_rounding"] = used.shmi_rounding;
  spec_used["outlier_coverage"] = used.outlier_coverage;
  out["spec"] = spec_used.dump();
  out["target"] = r.target;
  out["phi"] = r.phi;
  out["tau2"] = r.tau2;
  out["phi_p_value"] = r.phi_p_value;
  out["n_phi"] = r.n_phi;
  out["adjusted"] = r.adjusted;
  return out;
}

}  // namespace

void register_funnel(py::module_& m) {
  m.def("compute", &compute, py::arg("spec_json"), py::arg("y"), py::arg("n"),
        py::arg("unit") = py::none(),
        "Compute a funnel plot; returns {'units': {...}, 'limits': {...}, 'phi': ..., ...}.");
  m.def("resolve_spec", [](const std::string& spec_json) {
    const auto spec = io::parse(spec_json, "spec").get<funnel::Spec>();
    funnel::resolve(spec);
    return nlohmann::json(spec).dump();
  }, "Validate a funnel spec and return it with every field (JSON).");
}

}  // namespace qiscope::bindings
