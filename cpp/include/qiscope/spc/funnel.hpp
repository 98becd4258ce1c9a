#pragma once
/// \file funnel.hpp
/// Funnel plots for comparing units (hospitals, wards, surgeons) on one indicator.
///
///     qiscope::funnel::Spec spec; spec.kind = qiscope::funnel::Kind::proportion;
///     spec.overdispersion = qiscope::funnel::Overdispersion::additive;
///     qiscope::funnel::Result r = qiscope::funnel::compute(observations, spec);
///
/// Method: Spiegelhalter DJ (2005) Funnel plots for comparing institutional performance.
/// Stat Med 24:1185-1202, doi:10.1002/sim.1970; and Spiegelhalter DJ (2005) Handling
/// over-dispersion of performance indicators. Qual Saf Health Care 14:347-351,
/// doi:10.1136/qshc.2005.013755. The `funnelplotr` profile reproduces FunnelPlotR 0.6.0
/// (shared/design/spc-spec.md §6.2), quirks included.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <qiscope/spc/types.hpp>

namespace qiscope::funnel {

/// What is compared. `ratio` is an indirectly standardised ratio observed / expected (n is the
/// expected count, target 1); `rate` is a ratio of two counts (FunnelPlotR's "RC").
enum class Kind : std::uint8_t { proportion, ratio, rate };

/// How limits are widened when units vary more than chance allows.
enum class Overdispersion : std::uint8_t { none, multiplicative, additive };

/// Whose conventions to reproduce: qiscope's own (Spiegelhalter 2005) or FunnelPlotR 0.6.0.
enum class Profile : std::uint8_t { qiscope, funnelplotr };

/// The scale of standardised ratios: `shmi` is the log scale with truncation (NHS Digital's
/// SHMI), `cqc` the square-root scale with winsorisation (Spiegelhalter; the CQC's method).
enum class RatioMethod : std::uint8_t { shmi, cqc };

/// How the limits without overdispersion are drawn.
/// - `exact`: binomial or Poisson quantiles with Spiegelhalter's interpolation;
/// - `normal`: target +/- z sigma on the indicator's own scale;
/// - `transformed`: the normal approximation on the variance-stabilising scale (arcsine,
///   square root or log), transformed back;
/// - `garwood`: FunnelPlotR's chi-squared (Garwood) bounds of a Poisson mean at O = E (ratios).
enum class LimitMethod : std::uint8_t { exact, normal, transformed, garwood };

/// The request. Options left unset take the value of `profile`.
struct Spec {
  Kind kind = Kind::proportion;
  Overdispersion overdispersion = Overdispersion::none;
  Profile profile = Profile::qiscope;
  /// Coverages of the limits in percent (95 and 99.8: 2.5% and 0.1% in each tail).
  std::vector<double> coverage{95.0, 99.8};
  /// The coverage whose limits decide `outlier` (one of `coverage`; unset: 99.8 if present,
  /// else the widest).
  std::optional<double> outlier_coverage;
  std::optional<RatioMethod> sr_method;       ///< ratio only (qiscope: cqc; funnelplotr: shmi)
  std::optional<LimitMethod> limit_method;    ///< unset: the profile's choice for the kind
  std::optional<bool> shmi_rounding;          ///< round expected counts to 2 decimals first
  std::optional<double> target;               ///< the centre line (default: 1 for ratios, else
                                              ///< the pooled sum(y) / sum(n))
  double trim_by = 0.1;   ///< share of units winsorised or truncated at each end for phi
  double multiply = 1.0;  ///< scales values, centre line and limits after the computation
  int grid_size = 1000;   ///< points of the drawing grid, besides the units' own n
  /// Worker threads for the grid of limits (0: one per core). Results do not depend on it.
  int n_threads = 0;
};

/// The conventions in force once the profile and the explicit options are combined.
struct Options {
  RatioMethod sr_method;
  LimitMethod limit_method;
  bool shmi_rounding;
  double outlier_coverage;
  bool truncate;            ///< SHMI: drop the trimmed units instead of winsorising them
  bool literal_z;           ///< FunnelPlotR's 1.959964 and 3.090232 for 95 and 99.8%
  bool square_back;         ///< square-root scale limits are squared back (FunnelPlotR: no)
  bool grid_monotone_fix;   ///< FunnelPlotR's neighbour comparison for arcsine limits
  bool rate_null_variance;  ///< rate limits use 1/(target n) + 1/n (FunnelPlotR: 1/(4n))
  bool zero_phi_when_off;   ///< FunnelPlotR reports phi = tau2 = 0 without adjustment
  double grid_from;         ///< smallest n of the drawing grid
};

/// Combines the profile's conventions with the explicit options of `spec`; throws
/// qiscope::input_error for options that do not fit together.
Options resolve(const Spec& spec);

/// The input rows as views; rows sharing a unit code are summed into one unit.
struct Observations {
  std::span<const double> y;             ///< numerator: events or observed count
  std::span<const double> n;             ///< denominator: cases, expected count, or count
  std::span<const std::int64_t> unit;    ///< unit codes >= 0; empty: every row is a unit
};

/// One entry per unit, ordered by unit code. Limits are indexed [coverage][unit].
struct Units {
  std::vector<std::int64_t> unit;  ///< unit code
  std::vector<std::int64_t> row;   ///< first input row of the unit
  std::vector<double> y;           ///< summed numerator
  std::vector<double> n;           ///< summed denominator (expected counts rounded under SHMI)
  std::vector<double> value;       ///< y / n (n before SHMI rounding), times multiply
  std::vector<double> z;           ///< z-score on the variance-stabilising scale
  std::vector<double> z_winsorised;  ///< z after winsorising (NaN: truncated away)
  std::vector<std::vector<double>> lcl, ucl;  ///< limits in use at the unit's n
  std::vector<std::uint8_t> outlier;  ///< outside the outlier_coverage limits in use

  std::size_t size() const { return unit.size(); }
};

/// The drawing grid: limits at `n`, sorted, which includes every unit's n.
struct LimitTable {
  std::vector<double> n;
  std::vector<std::vector<double>> lcl, ucl;                        ///< in use
  std::vector<std::vector<double>> lcl_unadjusted, ucl_unadjusted;  ///< without overdispersion

  std::size_t size() const { return n.size(); }
};

struct Result {
  Spec spec;
  double target = 0;   ///< the centre line, times multiply
  double phi = 0;      ///< overdispersion ratio: mean squared (winsorised) z-score
  double tau2 = 0;     ///< between-unit variance on the transformed scale (DerSimonian-Laird)
  double phi_p_value = 0;  ///< P(chi-squared with n_phi df >= n_phi phi): no overdispersion
  std::int64_t n_phi = 0;  ///< units phi is computed from (after truncation)
  bool adjusted = false;   ///< the limits in use are overdispersion-adjusted
  Units units;
  LimitTable limits;
};

/// Computes the funnel plot of `obs`. Throws qiscope::input_error for bad input.
Result compute(const Observations& obs, const Spec& spec);

/// Spiegelhalter's (2005, appendix) interpolated exact limit of a proportion at `n` cases:
/// r is the smallest count with P(R <= r) >= p for R ~ Binomial(n, theta), and the limit is
/// (r - a) / n with a = (P(R <= r) - p) / P(R = r), literally: where P(R = 0) >= p it is below 0
/// (compute() keeps the limits it draws within [0, 1]). `n` must be a whole number.
double exact_binomial_limit(double n, double theta, double p);
/// The same for a standardised ratio at expected count `e`: R ~ Poisson(theta e), limit (r - a) / e.
double exact_poisson_limit(double e, double theta, double p);

/// The standard normal quantile for a two-sided `coverage` in percent (95 -> 1.959964...).
double z_for_coverage(double coverage);

namespace detail {
using spc::detail::NameTable;
inline constexpr NameTable<Kind, 3> kind_names{{
    {Kind::proportion, "proportion"}, {Kind::ratio, "ratio"}, {Kind::rate, "rate"}}};
inline constexpr NameTable<Overdispersion, 3> overdispersion_names{{
    {Overdispersion::none, "none"}, {Overdispersion::multiplicative, "multiplicative"},
    {Overdispersion::additive, "additive"}}};
inline constexpr NameTable<Profile, 2> profile_names{{
    {Profile::qiscope, "qiscope"}, {Profile::funnelplotr, "funnelplotr"}}};
inline constexpr NameTable<RatioMethod, 2> ratio_method_names{{
    {RatioMethod::shmi, "SHMI"}, {RatioMethod::cqc, "CQC"}}};
inline constexpr NameTable<LimitMethod, 4> limit_method_names{{
    {LimitMethod::exact, "exact"}, {LimitMethod::normal, "normal"},
    {LimitMethod::transformed, "transformed"}, {LimitMethod::garwood, "garwood"}}};
}  // namespace detail

inline std::string_view to_string(Kind v) { return spc::detail::name_of(detail::kind_names, v); }
inline std::string_view to_string(Overdispersion v) { return spc::detail::name_of(detail::overdispersion_names, v); }
inline std::string_view to_string(Profile v) { return spc::detail::name_of(detail::profile_names, v); }
inline std::string_view to_string(RatioMethod v) { return spc::detail::name_of(detail::ratio_method_names, v); }
inline std::string_view to_string(LimitMethod v) { return spc::detail::name_of(detail::limit_method_names, v); }
inline Kind parse_kind(std::string_view s) { return spc::detail::parse_name(detail::kind_names, s, "kind"); }
inline Overdispersion parse_overdispersion(std::string_view s) { return spc::detail::parse_name(detail::overdispersion_names, s, "overdispersion"); }
inline Profile parse_profile(std::string_view s) { return spc::detail::parse_name(detail::profile_names, s, "profile"); }
inline RatioMethod parse_ratio_method(std::string_view s) { return spc::detail::parse_name(detail::ratio_method_names, s, "sr_method"); }
inline LimitMethod parse_limit_method(std::string_view s) { return spc::detail::parse_name(detail::limit_method_names, s, "limit_method"); }

}  // namespace qiscope::funnel
