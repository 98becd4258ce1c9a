#pragma once
/// \file types.hpp
/// The named choices of an SPC analysis (chart, rule set, profile, ...) and their string names.
/// The strings are the ones the Python API and the JSON format use.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <qiscope/error.hpp>

namespace qiscope::spc {

enum class Chart : std::uint8_t {
  run, i, mr, xbar, s, p, np, c, u, pp, up, g, t, ip,
  ewma, cusum, bernoulli_cusum, ra_cusum, vlad
};

enum class RuleSet : std::uint8_t { anhoej, ihi, mdc, western_electric, nelson };

/// Which way is improvement; it only colours signals and chooses icons.
enum class Direction : std::uint8_t { neutral, increase, decrease };

/// Whose conventions to reproduce. `qiscope` is the library's own documented default.
enum class Profile : std::uint8_t { qiscope, qicharts2, ptd, mdc_excel, qcc };

/// How rows sharing one x are combined into one point (outside xbar/s; counts and
/// denominators are always summed). `none`: every row is its own point, in input order
/// within equal x; for event charts (g, t), where two events on one day are two events
/// (qicharts2 issue #47), and not for xbar/s, whose rows sharing x are the subgroup.
enum class Aggregate : std::uint8_t { mean, median, sum, none };

/// The 2-of-3 rule of Making Data Count: `legacy` (PTD 0.2.2: points beyond 3 sigma do not count)
/// or `mdc2023` (since November 2023 every point beyond 2 sigma counts).
enum class TwoOfThree : std::uint8_t { legacy, mdc2023 };

/// Critical values of the runs analysis: Anhøj's n-adaptive limits, or the "best box" and
/// "cut box" limits of Anhøj & Wentzel-Larsen (2020, PLoS ONE 15(6):e0233920), n = 10-100.
enum class RunsMethod : std::uint8_t { anhoej, bestbox, cutbox };

/// Which points of a signalling pattern are flagged: all of it (`pattern`, qiscope's default and
/// NHSRplotthedots') or only those where it is complete and after (`completing`, as qcc: from the
/// 7th point of a run of 7, the newest point of a 2-of-3 window).
enum class FlagPoints : std::uint8_t { pattern, completing };

/// How EWMA and CUSUM estimate the process sigma from the baseline: qcc 2.7's `std.dev` methods
/// (sd.xbar, sd.xbar.one) in snake case. Subgroups: `uwave_r` mean of R_i / d2(n_i), `uwave_sd`
/// mean of s_i / c4(n_i), `mvlue_r` and `mvlue_sd` their minimum-variance weighted means,
/// `rmsdf` pooled SD / c4(sum(n_i - 1) + 1). Single values: `mr` mean moving range / d2, `sd`
/// sample SD / c4(n).
enum class SdMethod : std::uint8_t { uwave_r, uwave_sd, mvlue_r, mvlue_sd, rmsdf, mr, sd };

/// The meaning of one point, for colouring.
enum class PointType : std::uint8_t { common_cause, improvement, concern, neutral };

/// The variation icon of a series (from its last point).
enum class Variation : std::uint8_t {
  none, common_cause, improvement_high, improvement_low, concern_high, concern_low,
  neutral_high, neutral_low
};

/// The assurance icon of a series (from its target against the limits of its last phase).
enum class Assurance : std::uint8_t { none, pass, fail, hit_and_miss };

namespace detail {
template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

inline constexpr NameTable<Chart, 19> chart_names{{
    {Chart::run, "run"}, {Chart::i, "i"}, {Chart::mr, "mr"}, {Chart::xbar, "xbar"},
    {Chart::s, "s"}, {Chart::p, "p"}, {Chart::np, "np"}, {Chart::c, "c"}, {Chart::u, "u"},
    {Chart::pp, "pp"}, {Chart::up, "up"}, {Chart::g, "g"}, {Chart::t, "t"}, {Chart::ip, "ip"},
    {Chart::ewma, "ewma"}, {Chart::cusum, "cusum"}, {Chart::bernoulli_cusum, "bernoulli_cusum"},
    {Chart::ra_cusum, "ra_cusum"}, {Chart::vlad, "vlad"}}};
inline constexpr NameTable<RuleSet, 5> rule_set_names{{
    {RuleSet::anhoej, "anhoej"}, {RuleSet::ihi, "ihi"}, {RuleSet::mdc, "mdc"},
    {RuleSet::western_electric, "western_electric"}, {RuleSet::nelson, "nelson"}}};
inline constexpr NameTable<Direction, 3> direction_names{{
    {Direction::neutral, "neutral"}, {Direction::increase, "increase"},
    {Direction::decrease, "decrease"}}};
inline constexpr NameTable<Profile, 5> profile_names{{
    {Profile::qiscope, "qiscope"}, {Profile::qicharts2, "qicharts2"}, {Profile::ptd, "ptd"},
    {Profile::mdc_excel, "mdc_excel"}, {Profile::qcc, "qcc"}}};
inline constexpr NameTable<Aggregate, 4> aggregate_names{{
    {Aggregate::mean, "mean"}, {Aggregate::median, "median"}, {Aggregate::sum, "sum"},
    {Aggregate::none, "none"}}};
inline constexpr NameTable<TwoOfThree, 2> two_of_three_names{{
    {TwoOfThree::legacy, "legacy"}, {TwoOfThree::mdc2023, "2023"}}};
inline constexpr NameTable<RunsMethod, 3> runs_method_names{{
    {RunsMethod::anhoej, "anhoej"}, {RunsMethod::bestbox, "bestbox"}, {RunsMethod::cutbox, "cutbox"}}};
inline constexpr NameTable<FlagPoints, 2> flag_points_names{{
    {FlagPoints::pattern, "pattern"}, {FlagPoints::completing, "completing"}}};
inline constexpr NameTable<SdMethod, 7> sd_method_names{{
    {SdMethod::uwave_r, "uwave_r"}, {SdMethod::uwave_sd, "uwave_sd"}, {SdMethod::mvlue_r, "mvlue_r"},
    {SdMethod::mvlue_sd, "mvlue_sd"}, {SdMethod::rmsdf, "rmsdf"}, {SdMethod::mr, "mr"},
    {SdMethod::sd, "sd"}}};
inline constexpr NameTable<PointType, 4> point_type_names{{
    {PointType::common_cause, "common_cause"}, {PointType::improvement, "improvement"},
    {PointType::concern, "concern"}, {PointType::neutral, "neutral"}}};
inline constexpr NameTable<Variation, 8> variation_names{{
    {Variation::none, ""}, {Variation::common_cause, "common_cause"},
    {Variation::improvement_high, "improvement_high"},
    {Variation::improvement_low, "improvement_low"}, {Variation::concern_high, "concern_high"},
    {Variation::concern_low, "concern_low"}, {Variation::neutral_high, "neutral_high"},
    {Variation::neutral_low, "neutral_low"}}};
inline constexpr NameTable<Assurance, 4> assurance_names{{
    {Assurance::none, ""}, {Assurance::pass, "pass"}, {Assurance::fail, "fail"},
    {Assurance::hit_and_miss, "hit_and_miss"}}};

template <class E, std::size_t N>
std::string_view name_of(const NameTable<E, N>& table, E value) {
  for (const auto& [e, name] : table)
    if (e == value) return name;
  return "?";
}

template <class E, std::size_t N>
E parse_name(const NameTable<E, N>& table, std::string_view text, const char* option) {
  for (const auto& [e, name] : table)
    if (name == text) return e;
  std::string allowed;
  for (const auto& [e, name] : table) {
    if (name.empty()) continue;
    if (!allowed.empty()) allowed += ", ";
    allowed += "'" + std::string(name) + "'";
  }
  throw input_error(option, -1, "unknown_name",
                    "unknown value '" + std::string(text) + "'; expected one of " + allowed);
}
}  // namespace detail

inline std::string_view to_string(Chart v) { return detail::name_of(detail::chart_names, v); }
inline std::string_view to_string(RuleSet v) { return detail::name_of(detail::rule_set_names, v); }
inline std::string_view to_string(Direction v) { return detail::name_of(detail::direction_names, v); }
inline std::string_view to_string(Profile v) { return detail::name_of(detail::profile_names, v); }
inline std::string_view to_string(Aggregate v) { return detail::name_of(detail::aggregate_names, v); }
inline std::string_view to_string(TwoOfThree v) { return detail::name_of(detail::two_of_three_names, v); }
inline std::string_view to_string(RunsMethod v) { return detail::name_of(detail::runs_method_names, v); }
inline std::string_view to_string(FlagPoints v) { return detail::name_of(detail::flag_points_names, v); }
inline std::string_view to_string(SdMethod v) { return detail::name_of(detail::sd_method_names, v); }
inline std::string_view to_string(PointType v) { return detail::name_of(detail::point_type_names, v); }
inline std::string_view to_string(Variation v) { return detail::name_of(detail::variation_names, v); }
inline std::string_view to_string(Assurance v) { return detail::name_of(detail::assurance_names, v); }

/// Parses a chart name; "xmr" is an alias of "i".
inline Chart parse_chart(std::string_view s) {
  if (s == "xmr") return Chart::i;
  return detail::parse_name(detail::chart_names, s, "chart");
}
inline RuleSet parse_rule_set(std::string_view s) { return detail::parse_name(detail::rule_set_names, s, "rules"); }
inline Direction parse_direction(std::string_view s) { return detail::parse_name(detail::direction_names, s, "direction"); }
inline Profile parse_profile(std::string_view s) { return detail::parse_name(detail::profile_names, s, "profile"); }
inline Aggregate parse_aggregate(std::string_view s) { return detail::parse_name(detail::aggregate_names, s, "agg"); }
inline TwoOfThree parse_two_of_three(std::string_view s) { return detail::parse_name(detail::two_of_three_names, s, "two_of_three"); }
inline RunsMethod parse_runs_method(std::string_view s) { return detail::parse_name(detail::runs_method_names, s, "runs_method"); }
inline FlagPoints parse_flag_points(std::string_view s) { return detail::parse_name(detail::flag_points_names, s, "flag_points"); }
inline SdMethod parse_sd_method(std::string_view s) { return detail::parse_name(detail::sd_method_names, s, "sd_method"); }

}  // namespace qiscope::spc
