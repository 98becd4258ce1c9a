// _core.culture: instruments, scoring, reliability, agreement and gap. Conversion only; the GIL
// is released while the C++ core works on spans into numpy buffers held here (convert.hpp).

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <qiscope/culture.hpp>
#include <qiscope/error.hpp>
#include <qiscope/io/json.hpp>

#include "convert.hpp"
#include "register.hpp"

namespace qiscope::bindings {

namespace {

using culture::Instrument;

/// The answers (rows x items, any layout; converted to column-major float64) and unit codes.
struct Answers {
  py::array_t<double, py::array::f_style | py::array::forcecast> values;
  Column<std::int64_t> unit;
  culture::Responses responses;
};

Answers answers(const Instrument& inst, const py::object& values, const py::object& unit,
                std::vector<std::string> unit_labels) {
  Answers a;
  a.values = py::array_t<double, py::array::f_style | py::array::forcecast>::ensure(values);
  if (!a.values || a.values.ndim() != 2)
    throw py::value_error("responses must be a two-dimensional array of numbers (rows x items)");
  if (static_cast<std::size_t>(a.values.shape(1)) != inst.items.size())
    throw py::value_error("responses have " + std::to_string(a.values.shape(1)) + " item columns, the instrument " +
                          std::to_string(inst.items.size()));
  a.unit = column<std::int64_t>(unit, "unit");
  a.responses.n_rows = static_cast<std::size_t>(a.values.shape(0));
  a.responses.values = std::span<const double>(a.values.data(), static_cast<std::size_t>(a.values.size()));
  a.responses.unit = a.unit.view;
  a.responses.unit_labels = std::move(unit_labels);
  return a;
}

culture::ReverseRange reverse_range(const std::string& name) {
  if (name == "scale") return culture::ReverseRange::scale;
  if (name == "observed") return culture::ReverseRange::observed;
  throw input_error("reverse_by", -1, "unknown_name", "must be \"scale\" or \"observed\", not '" + name + "'");
}

py::list reason_names() {
  py::list out;
  for (auto r : {culture::Reason::none, culture::Reason::below_min_n, culture::Reason::complementary,
                 culture::Reason::linked, culture::Reason::no_valid_answers, culture::Reason::too_few,
                 culture::Reason::constant})
    out.append(std::string(culture::to_string(r)));
  return out;
}

/// The options every culture function shares.
template <class Options>
Options common_options(int min_n, double conf_level, const std::string& reverse_by) {
  Options options;
  options.min_n = min_n;
  options.conf_level = conf_level;
  options.reverse_range = reverse_range(reverse_by);
  return options;
}

/// Runs `compute` with the GIL released and returns its result as JSON text. Safe: the lambdas
/// read only C++ data (responses views into arrays the caller keeps alive, the instrument).
template <class Fn>
std::string json_without_gil(Fn&& compute) {
  nlohmann::json j;
  {
    py::gil_scoped_release nogil;
    j = compute();
  }
  return j.dump();
}

culture::ScoreOptions score_options(int min_n, double conf_level, const std::string& composite,
                                   const std::string& reverse_by) {
  auto options = common_options<culture::ScoreOptions>(min_n, conf_level, reverse_by);
  if (composite == "pooled") options.composite = culture::CompositeMethod::pooled;
  else if (composite != "item_mean")
    throw input_error("composite", -1, "unknown_name", "must be \"item_mean\" or \"pooled\", not '" + composite + "'");
  return options;
}

/// The score table as a dict of numpy columns (and its scalars).
py::dict table_dict(culture::ScoreTable t) {
  py::dict d;
  d["unit"] = to_numpy(std::move(t.unit));
  d["measure"] = to_numpy(std::move(t.measure));
  d["kind"] = codes_to_numpy(t.kind);
  d["n_respondents"] = to_numpy(std::move(t.n_respondents));
  d["n_valid"] = to_numpy(std::move(t.n_valid));
  d["n_positive"] = to_numpy(std::move(t.n_positive));
  d["n_neutral"] = to_numpy(std::move(t.n_neutral));
  d["n_negative"] = to_numpy(std::move(t.n_negative));
  d["n_dna"] = to_numpy(std::move(t.n_dna));
  d["percent_positive"] = to_numpy(std::move(t.percent_positive));
  d["percent_neutral"] = to_numpy(std::move(t.percent_neutral));
  d["percent_negative"] = to_numpy(std::move(t.percent_negative));
  d["ci_low"] = to_numpy(std::move(t.ci_low));
  d["ci_high"] = to_numpy(std::move(t.ci_high));
  d["mean"] = to_numpy(std::move(t.mean));
  d["suppressed"] = to_numpy(std::move(t.suppressed));
  d["reason"] = codes_to_numpy(t.reason);
  d["measures"] = t.measures;
  d["min_n"] = t.min_n;
  d["n_rows"] = t.n_rows;
  d["n_scored"] = t.n_scored;
  d["n_excluded"] = t.n_excluded;
  d["checks"] = nlohmann::json(t.checks).dump();
  return d;
}

py::dict score(const Instrument& inst, const py::object& values, const py::object& unit,
               std::vector<std::string> unit_labels, int min_n, double conf_level, const std::string& composite,
               const std::string& reverse_by) {
  Answers a = answers(inst, values, unit, std::move(unit_labels));
  const auto options = score_options(min_n, conf_level, composite, reverse_by);
  culture::ScoreTable t;
  {
    // Safe: the responses view points into arrays owned by `a`, which outlives this block.
    py::gil_scoped_release nogil;
    t = culture::score(a.responses, inst, options);
  }
  return table_dict(std::move(t));
}

culture::ScoreCounts count(const Instrument& inst, const py::object& values, const py::object& unit,
                           std::vector<std::string> unit_labels, const std::string& reverse_by,
                           std::vector<std::pair<double, double>> observed_bounds) {
  Answers a = answers(inst, values, unit, std::move(unit_labels));
  culture::CountOptions options;
  options.reverse_range = reverse_range(reverse_by);
  options.observed_bounds = std::move(observed_bounds);
  py::gil_scoped_release nogil;  // reads only `a` (alive here) and C++ data
  return culture::count(a.responses, inst, options);
}

py::dict score_from_counts(const Instrument& inst, const culture::ScoreCounts& counts, int min_n, double conf_level,
                           const std::string& composite, const std::string& reverse_by) {
  const auto options = score_options(min_n, conf_level, composite, reverse_by);
  culture::ScoreTable t;
  {
    py::gil_scoped_release nogil;  // `counts` is held by the caller's Python object
    t = culture::score_from_counts(counts, inst, options);
  }
  return table_dict(std::move(t));
}

py::bytes counts_to_bytes(const culture::ScoreCounts& counts) {
  std::vector<std::uint8_t> bytes;
  {
    py::gil_scoped_release nogil;
    bytes = culture::to_bytes(counts);
  }
  return py::bytes(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

culture::ScoreCounts counts_from_bytes(const py::bytes& data) {
  const std::string_view view = data;  // the bytes object outlives the call
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(view.data()), view.size());
  py::gil_scoped_release nogil;
  return culture::counts_from_bytes(bytes);
}

std::string reliability(const Instrument& inst, const py::object& values, const std::string& measure,
                        const std::string& missing, int min_n, double conf_level, const std::string& reverse_by) {
  Answers a = answers(inst, values, py::none(), {});
  auto options = common_options<culture::ReliabilityOptions>(min_n, conf_level, reverse_by);
  if (missing == "pairwise") options.missing = culture::MissingPolicy::pairwise;
  else if (missing != "listwise")
    throw input_error("missing", -1, "unknown_name", "must be \"listwise\" or \"pairwise\", not '" + missing + "'");
  return json_without_gil([&] { return culture::reliability(a.responses, inst, measure, options); });
}

std::string agreement(const Instrument& inst, const py::object& values, const py::object& unit,
                      std::vector<std::string> unit_labels, const std::string& measure, int min_n, double conf_level,
                      const std::string& reverse_by) {
  Answers a = answers(inst, values, unit, std::move(unit_labels));
  const auto options = common_options<culture::AgreementOptions>(min_n, conf_level, reverse_by);
  return json_without_gil([&] { return culture::agreement(a.responses, inst, measure, options); });
}

std::string gap(const Instrument& inst, const py::object& values, const py::object& unit,
                std::vector<std::string> unit_labels, const std::string& item_a, const std::string& item_b, int min_n,
                double conf_level, const std::string& reverse_by) {
  Answers a = answers(inst, values, unit, std::move(unit_labels));
  const auto options = common_options<culture::GapOptions>(min_n, conf_level, reverse_by);
  return json_without_gil([&] { return culture::gap(a.responses, inst, item_a, item_b, options); });
}

std::string gap_values(const py::object& a, const py::object& b, const py::object& unit,
                       std::vector<std::string> unit_labels, const std::string& name_a, const std::string& name_b,
                       int min_n, double conf_level, const py::object& positive) {
  auto a_col = column<double>(a, "a");
  auto b_col = column<double>(b, "b");
  auto unit_col = column<std::int64_t>(unit, "unit");
  auto options = common_options<culture::GapOptions>(min_n, conf_level, "scale");
  if (!positive.is_none()) {
    const auto range = positive.cast<std::pair<int, int>>();
    options.positive = culture::CodeRange{range.first, range.second};
  }
  return json_without_gil([&] {
    culture::Gap g = culture::gap(a_col.view, b_col.view, unit_col.view, options, std::move(unit_labels));
    g.a = name_a;
    g.b = name_b;
    return g;
  });
}

/// A culture result document read by the C++ readers and written again: they check every
/// member's type, range and column length, which Python's from_json would otherwise take on trust.
std::string checked_result_json(const std::string& text) {
  const nlohmann::json doc = io::parse(text, "json");
  const auto tag = doc.is_object() ? doc.find("format") : doc.end();
  const std::string format = tag != doc.end() && tag->is_string() ? tag->get<std::string>() : "";
  if (format == "qiscope.culture.Reliability/1") return nlohmann::json(doc.get<culture::Reliability>()).dump();
  if (format == "qiscope.culture.Agreement/1") return nlohmann::json(doc.get<culture::Agreement>()).dump();
  if (format == "qiscope.culture.Gap/1") return nlohmann::json(doc.get<culture::Gap>()).dump();
  if (format == "qiscope.culture.ScoreTable/1") return nlohmann::json(doc.get<culture::ScoreTable>()).dump();
  throw input_error("json", -1, "format", "is not a qiscope culture result document");
}

}  // namespace

void register_culture(py::module_& m) {
  py::class_<Instrument>(m, "Instrument", "A validated survey instrument (use qiscope.culture.Instrument).")
      .def_static("from_json", [](const std::string& text) { return culture::parse_instrument(text); },
                  py::arg("text"), "Parse and validate an instrument document.")
      .def("to_json", [](const Instrument& inst) { return nlohmann::json(inst).dump(); },
           "The canonical JSON form, every field written out.")
      .def_property_readonly("name", [](const Instrument& inst) { return inst.name; })
      .def_property_readonly("n_items", [](const Instrument& inst) { return inst.items.size(); });
  m.def("score", &score, py::arg("instrument"), py::arg("values"), py::arg("unit"), py::arg("unit_labels"),
        py::arg("min_n"), py::arg("conf_level"), py::arg("composite"), py::arg("reverse_by"),
        "Score table as a dict of numpy columns.");
  py::class_<culture::ScoreCounts>(m, "ScoreCounts",
                                   "Additive tallies of a score (culture::ScoreCounts); picklable.")
      .def_readonly("n_rows", &culture::ScoreCounts::n_rows)
      .def_readonly("n_units", &culture::ScoreCounts::n_units)
      .def_readonly("unit_labels", &culture::ScoreCounts::unit_labels)
      .def_property_readonly("observed_bounds",
                             [](const culture::ScoreCounts& c) {
                               std::vector<std::pair<double, double>> out;
                               for (std::size_t s = 0; s < c.observed_lo.size(); ++s)
                                 out.emplace_back(c.observed_lo[s], c.observed_hi[s]);
                               return out;
                             })
      .def("to_bytes", &counts_to_bytes)
      .def_static("from_bytes", &counts_from_bytes, py::arg("data"))
      .def("__eq__", [](const culture::ScoreCounts& a, const culture::ScoreCounts& b) {
             py::gil_scoped_release nogil;
             return a == b;
           })
      .def(py::pickle([](const culture::ScoreCounts& c) { return counts_to_bytes(c); },
                      [](const py::bytes& data) { return counts_from_bytes(data); }));
  m.def("count", &count, py::arg("instrument"), py::arg("values"), py::arg("unit"), py::arg("unit_labels"),
        py::arg("reverse_by"), py::arg("observed_bounds"), "Additive tallies of a score (ScoreCounts).");
  m.def("merge_counts",
        [](const culture::ScoreCounts& a, const culture::ScoreCounts& b) {
          py::gil_scoped_release nogil;
          return culture::merge(a, b);
        },
        py::arg("a"), py::arg("b"), "The tallies of both sets of respondents.");
  m.def("order_units",
        [](const culture::ScoreCounts& counts, const std::vector<std::string>& labels) {
          py::gil_scoped_release nogil;
          culture::ScoreCounts out = counts;
          culture::order_units(out, labels);
          return out;
        },
        py::arg("counts"), py::arg("labels"), "The tallies with their units in this label order.");
  m.def("score_from_counts", &score_from_counts, py::arg("instrument"), py::arg("counts"), py::arg("min_n"),
        py::arg("conf_level"), py::arg("composite"), py::arg("reverse_by"),
        "Score table (dict of numpy columns) from tallies.");
  m.def("reliability", &reliability, py::arg("instrument"), py::arg("values"), py::arg("measure"),
        py::arg("missing"), py::arg("min_n"), py::arg("conf_level"), py::arg("reverse_by"),
        "Reliability of a composite (JSON).");
  m.def("agreement", &agreement, py::arg("instrument"), py::arg("values"), py::arg("unit"), py::arg("unit_labels"),
        py::arg("measure"), py::arg("min_n"), py::arg("conf_level"), py::arg("reverse_by"),
        "Within-unit agreement and ICC (JSON).");
  m.def("gap", &gap, py::arg("instrument"), py::arg("values"), py::arg("unit"), py::arg("unit_labels"),
        py::arg("a"), py::arg("b"), py::arg("min_n"), py::arg("conf_level"), py::arg("reverse_by"),
        "Paired gap between two items of an instrument (JSON).");
  m.def("gap_values", &gap_values, py::arg("a"), py::arg("b"), py::arg("unit"), py::arg("unit_labels"),
        py::arg("name_a"), py::arg("name_b"), py::arg("min_n"), py::arg("conf_level"), py::arg("positive"),
        "Paired gap between two columns of scored values (JSON).");
  m.def("checked_result_json", &checked_result_json, py::arg("text"),
        "A culture result document (JSON) checked by the C++ readers and written again.");
  m.def("min_n_preset", [](const std::string& name) { return culture::min_n_preset(name); }, py::arg("name"));
  m.attr("kind_names") = py::make_tuple("item", "composite", "scale");
  m.attr("reason_names") = reason_names();
}

}  // namespace qiscope::bindings
