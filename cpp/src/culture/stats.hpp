#pragma once
// Small distribution-based helpers shared by the culture statistics (Boost.Math underneath).

#include <cstdint>
#include <utility>

namespace qiscope::culture::detail {

/// Two-sided standard-normal quantile for a confidence level (0.95 -> 1.959963984540054).
double z_for(double conf_level);

/// Wilson score interval for x successes in n trials (Wilson 1927), as proportions; equals
/// R prop.test(x, n, correct = FALSE)$conf.int. n may be fractional (an effective size).
std::pair<double, double> wilson(double x, double n, double z);

/// Feldt, Woodruff & Salih (1987) interval for Cronbach's alpha from n respondents and k items:
/// 1 - (1 - alpha) F^-1(1 - g/2 or g/2; n - 1, (n - 1)(k - 1)).
std::pair<double, double> feldt(double alpha, double n, double k, double conf_level);

/// Quantile of the F distribution (lower tail).
double f_quantile(double p, double df1, double df2);

/// Student t: two-sided p of |t| and the two-sided quantile for a confidence level.
double t_two_sided_p(double t, double df);
double t_quantile(double conf_level, double df);

/// Standard normal upper tail P(Z > z).
double normal_upper(double z);

/// P(V <= v) of the Wilcoxon signed-rank statistic with n untied non-zero differences (the exact
/// null distribution, R psignrank); n < 64.
double signrank_cdf(double v, int n);

/// Exact two-sided McNemar p from the discordant counts b and c: 2 P(X <= min(b, c)),
/// X ~ Binomial(b + c, 1/2), capped at 1.
double mcnemar_exact_p(std::int64_t b, std::int64_t c);

/// Newcombe (1998b, Stat Med 17:2635) method 10 interval for the difference of two paired
/// proportions from the 2x2 table (a both positive, b first only, c second only, d neither).
std::pair<double, double> newcombe_paired(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d,
                                          double z);

}  // namespace qiscope::culture::detail
