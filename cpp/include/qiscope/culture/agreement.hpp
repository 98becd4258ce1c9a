#pragma once
/// \file agreement.hpp
/// Whether a unit's respondents agree enough for its mean to describe the unit: rwg(j) per unit
/// (James, Demaree & Wolf 1984) and ICC(1), ICC(2) across units (Bliese 2000), as
/// multilevel 2.7 computes them (culture-spec §3.6-§3.7).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <qiscope/culture/instrument.hpp>
#include <qiscope/culture/responses.hpp>

namespace qiscope::culture {

struct AgreementOptions {
  int min_n = 0;  ///< units with fewer respondents have their agreement withheld; 0: instrument's
  double conf_level = 0.95;
  ReverseRange reverse_range = ReverseRange::scale;
};

/// Missing data: rwg_j, the Lindell index and AD_M use each unit's complete rows on the
/// measure's items (multilevel drops incomplete rows); rwg of a one-item measure uses the
/// unit's answers to it. ICC(1)/ICC(2) use every respondent's composite score (mean of the
/// answered items). Both are stated in `missing_data`.
struct Agreement {
  std::string measure;
  std::int64_t n_items = 0;
  double null_variance = 0;  ///< uniform null (A^2 - 1)/12 for A response options
  std::string missing_data;

  // One entry per unit (in unit-code order).
  std::vector<std::int64_t> unit;
  std::vector<std::int64_t> n;             ///< rows behind rwg (complete rows; answers for one item)
  std::vector<std::int64_t> n_respondents; ///< respondents with a composite score (used by the ICC)
  std::vector<double> mean_item_variance;  ///< mean within-unit item variance (n - 1 denominator)
  std::vector<double> rwg_j;               ///< rwg(j), or rwg for a one-item measure
  std::vector<double> rwg_lindell;         ///< Lindell, Brandt & Whitney's r*wg(j) = 1 - s^2/null
  std::vector<double> ad_m;                ///< Burke's average deviation around item means
  std::vector<std::uint8_t> suppressed;
  std::vector<Reason> reason;

  // One-way ANOVA of respondents' composite scores on unit.
  std::int64_t icc_n = 0;
  std::int64_t icc_units = 0;
  double df_between = 0, df_within = 0, msb = 0, msw = 0;
  double mean_group_size = 0;  ///< N/G, multilevel's k in ICC(1)
  double n0 = 0;               ///< (N - sum n_g^2 / N)/(G - 1), the classical unbalanced size
  double icc1 = 0;             ///< (MSB - MSW)/(MSB + (N/G - 1) MSW), multilevel::ICC1 (not truncated)
  double icc1_n0 = 0;          ///< the same with n0
  double icc2 = 0;             ///< (MSB - MSW)/MSB, multilevel::ICC2
  double icc1_ci_low = 0, icc1_ci_high = 0, icc2_ci_low = 0, icc2_ci_high = 0;  ///< F-based (psych::statsBy)

  std::vector<std::string> unit_labels;
  int min_n = 0;
  std::vector<std::string> notes;
};

/// Agreement on `measure` (a composite or item ID) within each unit of `responses`. The
/// responses need units. Throws input_error for an unknown measure or missing units.
Agreement agreement(const Responses& responses, const Instrument& inst, std::string_view measure,
                    const AgreementOptions& options = {});

}  // namespace qiscope::culture
