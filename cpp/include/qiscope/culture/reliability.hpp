#pragma once
/// \file reliability.hpp
/// Internal consistency of a composite: Cronbach's alpha with its Feldt and Duhachek intervals,
/// standardised alpha, item statistics, and McDonald's omega from a one-factor model
/// (culture-spec §3.4-§3.5).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <qiscope/culture/instrument.hpp>
#include <qiscope/culture/responses.hpp>
#include <qiscope/culture/score.hpp>

namespace qiscope::culture {

/// Which respondents and answers the covariances use.
enum class MissingPolicy : std::uint8_t {
  listwise,  ///< complete cases only (the textbook/SPSS value; multilevel::cronbach)
  pairwise   ///< each covariance from the respondents who answered both items, over every
             ///< respondent with an answer in the composite (psych::alpha's default)
};

struct ReliabilityOptions {
  MissingPolicy missing = MissingPolicy::listwise;
  double conf_level = 0.95;
  int min_n = 0;  ///< withhold everything below this many respondents used; 0: the instrument's
  ReverseRange reverse_range = ReverseRange::scale;
};

/// Per-item statistics, in the composite's item order.
struct ItemReliability {
  std::vector<std::string> item;
  std::vector<std::int64_t> n_valid;
  std::vector<double> mean, sd;
  std::vector<double> alpha_if_deleted, std_alpha_if_deleted, average_r_if_deleted;
  std::vector<double> r_drop;   ///< corrected item-total correlation (psych r.drop)
  std::vector<double> loading;  ///< standardised one-factor (minres) loading
};

/// Everything NaN when `suppressed` (too few respondents) or where `notes` says why.
struct Reliability {
  std::string measure;
  MissingPolicy missing = MissingPolicy::listwise;
  std::string missing_data;  ///< the missing-data policy in words
  std::int64_t n_used = 0;  ///< rows behind the covariances (and the n of the Feldt interval)
  std::int64_t n_items = 0;
  double conf_level = 0.95;
  double alpha = 0, alpha_ci_low = 0, alpha_ci_high = 0;  ///< raw alpha, Feldt interval
  double alpha_ase = 0, alpha_ase_ci_low = 0, alpha_ase_ci_high = 0;  ///< Duhachek & Iacobucci
  double std_alpha = 0, average_r = 0;
  /// Omega total from a one-factor minres (unweighted least squares) fit to the item
  /// correlation matrix, in psych::omega's form (1'R1 - sum psi) / 1'R1.
  double omega = 0;
  /// McDonald's model-implied form (sum lambda)^2 / ((sum lambda)^2 + sum psi), same loadings.
  double omega_mcdonald = 0;
  bool heywood = false;  ///< a communality reached 1: the omega values are not a stable estimate
  ItemReliability items;
  bool suppressed = false;
  Reason reason = Reason::none;
  int min_n = 0;
  std::vector<std::string> notes;
  std::vector<PolarityCheck> checks;
};

/// Reliability of `measure` (a composite ID) in `responses`. Throws input_error for an unknown
/// measure or a composite of fewer than two items.
Reliability reliability(const Responses& responses, const Instrument& inst, std::string_view measure,
                        const ReliabilityOptions& options = {});

}  // namespace qiscope::culture
