//! The statistics researchers cite: keyness (log-likelihood and its p-value, BIC, Log Ratio,
//! %DIFF), dispersion (document frequency, Gries's DP), collocation association (MI, MI3,
//! t-score, log-likelihood, Dice, logDice), TF-IDF and relative frequency.
//!
//! Every function is pure and deterministic, never panics, and returns `None` where the
//! statistic is undefined (an empty corpus, inconsistent counts, the log of zero); each one's
//! formula, source and treatment of zeros is in its documentation.

/// A word's frequencies in a target and a reference corpus, named as in Rayson & Garside (2000):
/// `a` occurrences among `c` tokens of the target, `b` among `d` tokens of the reference.
/// Consistent when `a <= c`, `b <= d` and both corpora have tokens.
fn consistent(a: u64, b: u64, c: u64, d: u64) -> bool {
    c > 0 && d > 0 && a <= c && b <= d
}

/// `x · ln(x / e)`, with the convention `0 · ln 0 = 0` of the log-likelihood sums.
fn x_ln_x_over(x: f64, e: f64) -> f64 {
    if x > 0.0 {
        x * (x / e).ln()
    } else {
        0.0
    }
}

/// Whether a word is more or less frequent (relative to corpus size) in the target than in the
/// reference corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// `a/c > b/d`: the word is overused in the target.
    Overuse,
    /// `a/c < b/d`: the word is underused in the target.
    Underuse,
    /// `a/c = b/d` (compared exactly, as `a·d` against `b·c`).
    Equal,
}

/// Overuse or underuse of a word in the target corpus, compared exactly in integers
/// (`a·d` against `b·c`). `None` when a corpus is empty or the counts are inconsistent.
pub fn direction(a: u64, b: u64, c: u64, d: u64) -> Option<Direction> {
    if !consistent(a, b, c, d) {
        return None;
    }
    let (ad, bc) = (a as u128 * d as u128, b as u128 * c as u128);
    Some(match ad.cmp(&bc) {
        std::cmp::Ordering::Greater => Direction::Overuse,
        std::cmp::Ordering::Less => Direction::Underuse,
        std::cmp::Ordering::Equal => Direction::Equal,
    })
}

/// Log-likelihood G² of a word's frequencies in two corpora (Rayson & Garside 2000, "Comparing
/// corpora using frequency profiling", the form used by the UCREL log-likelihood calculator and
/// WordSmith):
///
/// ```text
/// E1 = c·(a+b)/(c+d)      E2 = d·(a+b)/(c+d)
/// G² = 2·(a·ln(a/E1) + b·ln(b/E2))
/// ```
///
/// with `a` occurrences among `c` tokens of the target and `b` among `d` of the reference. A
/// term with a zero frequency contributes 0 (`0·ln 0 = 0`), so a word found in one corpus only
/// still scores; a word found in neither scores 0. G² is never negative; see
/// [`signed_log_likelihood`] and [`direction`] for overuse and underuse.
///
/// This is Rayson & Garside's two-term form. The full G² of the 2×2 table (Dunning 1993; used
/// by some R packages) adds the terms of the other tokens, `(c−a)` and `(d−b)`, and comes out
/// slightly larger (by 0.038 for `a = 10, b = 5, c = 1000, d = 2000`); the two agree closely
/// when the word is rare in both corpora.
///
/// `None` when either corpus is empty (`c = 0` or `d = 0`) or a frequency exceeds its corpus
/// size.
pub fn log_likelihood(a: u64, b: u64, c: u64, d: u64) -> Option<f64> {
    if !consistent(a, b, c, d) {
        return None;
    }
    let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
    let e1 = c * (a + b) / (c + d);
    let e2 = d * (a + b) / (c + d);
    let g2 = 2.0 * (x_ln_x_over(a, e1) + x_ln_x_over(b, e2));
    // Rounding can leave a tiny negative value where G² is exactly 0 (equal relative
    // frequencies).
    Some(g2.max(0.0))
}

/// [`log_likelihood`] with the sign of the difference: positive for overuse in the target
/// (`a/c > b/d`), negative for underuse, 0 for equal relative frequencies. The same `None` cases.
pub fn signed_log_likelihood(a: u64, b: u64, c: u64, d: u64) -> Option<f64> {
    let g2 = log_likelihood(a, b, c, d)?;
    Some(match direction(a, b, c, d)? {
        Direction::Overuse => g2,
        Direction::Underuse => -g2,
        Direction::Equal => 0.0,
    })
}

/// The p-value of a log-likelihood (or chi-square) statistic with one degree of freedom:
/// `p = P(χ²₁ ≥ G²) = erfc(√(G²/2))`, with `erfc` from the `libm` crate (FreeBSD msun, accurate
/// to about one unit in the last place).
///
/// The sign of a signed G² is ignored (`|G²|` is used), so [`signed_log_likelihood`] can be
/// passed directly. Rayson's published critical values hold: G² = 3.84 → p ≈ 0.05, 6.63 → 0.01,
/// 10.83 → 0.001, 15.13 → 0.0001. A NaN statistic gives NaN.
pub fn chi2_1df_p_value(g2: f64) -> f64 {
    if g2.is_nan() {
        return f64::NAN;
    }
    libm::erfc((g2.abs() / 2.0).sqrt())
}

/// The Bayes factor approximation BIC of Wilson (2013, "Embracing Bayes factors for key item
/// analysis in corpus linguistics"): `BIC = G² − df·ln(N)` with `df = 1` and `N = c + d`, the
/// tokens of both corpora.
///
/// Read with Raftery's (1995) scale, as Wilson suggests: below 0 the evidence favours no
/// difference; 0–2 not worth more than a bare mention, 2–6 positive, 6–10 strong, above 10 very
/// strong evidence of a difference. The same `None` cases as [`log_likelihood`].
pub fn bic(a: u64, b: u64, c: u64, d: u64) -> Option<f64> {
    let g2 = log_likelihood(a, b, c, d)?;
    Some(g2 - ((c + d) as f64).ln())
}

/// Log Ratio (Hardie 2014, "Log Ratio – an informal introduction", CASS blog; as in CQPweb): the
/// binary logarithm of the ratio of relative frequencies,
///
/// ```text
/// Log Ratio = log2( (a/c) / (b/d) )
/// ```
///
/// Each point is a doubling: 1 means twice as frequent in the target, −1 half as frequent, 0
/// equal. A zero frequency is replaced by 0.5 (Hardie's suggestion, also CQPweb's), so a word
/// absent from one corpus gets a finite, conservative score: with `a = 7, c = 500, b = 0,
/// d = 1500` it is `log2((7/500)/(0.5/1500)) = log2(42)`.
///
/// `None` when the word occurs in neither corpus (`a = b = 0`: nothing to compare), when either
/// corpus is empty, or when a frequency exceeds its corpus size.
pub fn log_ratio(a: u64, b: u64, c: u64, d: u64) -> Option<f64> {
    if !consistent(a, b, c, d) || (a == 0 && b == 0) {
        return None;
    }
    let zero_to_half = |f: u64| if f == 0 { 0.5 } else { f as f64 };
    let target = zero_to_half(a) / c as f64;
    let reference = zero_to_half(b) / d as f64;
    Some((target / reference).log2())
}

/// The relative frequency that stands in for a zero in the reference corpus in [`percent_diff`]:
/// 10⁻¹⁸, as Gabrielatos (2018) and the KeynessMeasures R package use.
pub const PERCENT_DIFF_ZERO: f64 = 1e-18;

/// %DIFF (Gabrielatos & Marchi 2012, "Keyness: appropriate metrics and practical issues";
/// Gabrielatos 2018): the percentage by which the word's relative frequency in the target
/// exceeds (or falls short of) its relative frequency in the reference,
///
/// ```text
/// NFt = a/c   NFr = b/d
/// %DIFF = (NFt − NFr) · 100 / NFr
/// ```
///
/// 100 means twice as frequent, −50 half as frequent, −100 absent from the target. The result
/// does not depend on the normalisation base (per token, per million) while `b > 0`.
///
/// A zero reference frequency would divide by zero: as Gabrielatos (2018) suggests, the
/// reference's relative frequency (per token) is then taken as [`PERCENT_DIFF_ZERO`] (10⁻¹⁸),
/// which gives a very large finite value (`a/c · 10²⁰`) that sorts such words first, among
/// themselves by their relative frequency in the target. Note that with this substitution the
/// value is in units of "per token": tools normalising per million before substituting give
/// other (equally arbitrary) numbers for these words.
///
/// `None` when the word occurs in neither corpus, when either corpus is empty, or when a
/// frequency exceeds its corpus size.
pub fn percent_diff(a: u64, b: u64, c: u64, d: u64) -> Option<f64> {
    if !consistent(a, b, c, d) || (a == 0 && b == 0) {
        return None;
    }
    let target = a as f64 / c as f64;
    let reference = if b == 0 {
        PERCENT_DIFF_ZERO
    } else {
        b as f64 / d as f64
    };
    Some((target - reference) * 100.0 / reference)
}

/// Relative frequency per million tokens: `freq · 1,000,000 / size`. `None` for an empty corpus.
pub fn per_million(freq: u64, size: u64) -> Option<f64> {
    relative_frequency(freq, size, 1_000_000.0)
}

/// Relative frequency per `base` tokens: `freq · base / size`. `None` for an empty corpus.
pub fn relative_frequency(freq: u64, size: u64, base: f64) -> Option<f64> {
    if size == 0 {
        return None;
    }
    Some(freq as f64 * base / size as f64)
}

// ---------------------------------------------------------------------------------------------
// Dispersion

/// Document frequency (range): the number of parts (articles) in which a word occurs at least
/// once, given its frequency in every part.
pub fn document_frequency(per_part: &[u64]) -> usize {
    per_part.iter().filter(|&&f| f > 0).count()
}

/// Gries's DP, "deviation of proportions" (Gries 2008, "Dispersions and adjusted frequencies in
/// corpora", IJCL 13(4)), in a form for sparse data.
///
/// For corpus parts `i` (articles) with sizes `sᵢ` (tokens) and frequencies `vᵢ` of the word:
///
/// ```text
/// DP = ½ · Σᵢ | vᵢ/F − sᵢ/S |          S = Σ sᵢ (corpus size), F = Σ vᵢ (word frequency)
/// ```
///
/// 0 means the word is spread across the parts exactly in proportion to their sizes; values
/// near 1 mean it is concentrated in a few small parts. Most articles do not contain a given
/// word, and such a part contributes just its size share `sᵢ/S`; so only the parts with hits
/// are passed and the others contribute together `(S − Σ_hit sᵢ)/S`:
///
/// ```text
/// DP = ½ · ( Σ_hit | vᵢ/F − sᵢ/S |  +  (S − Σ_hit sᵢ)/S )
/// ```
///
/// `parts_with_hits` holds `(part_size, freq)` for the parts where the word occurs (parts with a
/// zero frequency may be included too; they change nothing). `None` when `total_size` or
/// `freq_total` is 0, when the frequencies do not add up to `freq_total`, or when the part sizes
/// add up to more than `total_size`.
///
/// Gries's own example (five parts of 9, 10, 10, 10 and 11 tokens, frequencies 1, 2, 3, 4, 5)
/// gives DP = 0.18.
pub fn dp(total_size: u64, freq_total: u64, parts_with_hits: &[(u64, u64)]) -> Option<f64> {
    if total_size == 0 || freq_total == 0 {
        return None;
    }
    let mut hit_size: u64 = 0;
    let mut hit_freq: u64 = 0;
    let mut sum = 0.0;
    for &(size, freq) in parts_with_hits {
        hit_size = hit_size.checked_add(size)?;
        hit_freq = hit_freq.checked_add(freq)?;
        sum += (freq as f64 / freq_total as f64 - size as f64 / total_size as f64).abs();
    }
    if hit_freq != freq_total || hit_size > total_size {
        return None;
    }
    dp_from_sums(total_size, hit_size, sum)
}

/// [`dp`] from the sums over the parts with hits, as another engine aggregates them: their
/// total size and `Σ |freqᵢ/freq_total − sizeᵢ/total_size|`. `None` when `total_size` is 0 or
/// smaller than `hit_size`.
pub fn dp_from_sums(total_size: u64, hit_size: u64, sum_of_differences: f64) -> Option<f64> {
    if total_size == 0 || hit_size > total_size {
        return None;
    }
    // The parts without hits, computed in integers so that no rounding error accumulates.
    let sum = sum_of_differences + (total_size - hit_size) as f64 / total_size as f64;
    Some((sum / 2.0).clamp(0.0, 1.0))
}

/// Gries's DP over all parts given densely as `(part_size, freq)`, zeros included. The same
/// value as [`dp`]; `None` when there are no tokens or no occurrences.
pub fn dp_dense(parts: &[(u64, u64)]) -> Option<f64> {
    let total_size = parts
        .iter()
        .try_fold(0u64, |acc, &(s, _)| acc.checked_add(s))?;
    let freq_total = parts
        .iter()
        .try_fold(0u64, |acc, &(_, f)| acc.checked_add(f))?;
    dp(total_size, freq_total, parts)
}

/// DPnorm (Lijffijt & Gries 2012, "Correction to Stefan Th. Gries' 'Dispersions and adjusted
/// frequencies in corpora'", IJCL 17(1)): DP divided by its maximum for the given part sizes,
/// `DPnorm = DP / (1 − min sᵢ/S)`, so that it reaches 1 when the word occurs only in the
/// smallest part.
///
/// In the sparse form the smallest part may be one without hits, so its size is passed as
/// `smallest_part` (the size of the smallest part of the whole corpus, hits or not). `None` in
/// the cases of [`dp`], when `smallest_part` is 0, and when it is not smaller than `total_size`
/// (a single part, where DP and its maximum are both 0).
pub fn dp_norm(
    total_size: u64,
    freq_total: u64,
    parts_with_hits: &[(u64, u64)],
    smallest_part: u64,
) -> Option<f64> {
    let dp = dp(total_size, freq_total, parts_with_hits)?;
    if smallest_part == 0 || smallest_part >= total_size {
        return None;
    }
    let max = 1.0 - smallest_part as f64 / total_size as f64;
    Some((dp / max).clamp(0.0, 1.0))
}

// ---------------------------------------------------------------------------------------------
// Collocation

/// The counts behind a collocation score: how often the collocate occurs within the window
/// around the node, and how often each occurs in the corpus.
///
/// # The window and the expected frequency
///
/// Collocates counted in a window of `span` tokens around each occurrence of the node (for
/// example 5 to the left and 5 to the right: `span = 10`) are *surface co-occurrences* (Evert
/// 2008, "Corpora and collocations", §3.1 and §4.1). Under independence a token inside the
/// windows is the collocate with probability `f(collocate)/N`, and the windows hold about
/// `span · f(node)` tokens, so
///
/// ```text
/// E11 = span · f(node) · f(collocate) / N
/// ```
///
/// and the 2×2 contingency table has rows "inside a node window / elsewhere" and columns
/// "the collocate / another word": `R1 = span · f(node)` window positions, `C1 = f(collocate)`.
/// [`Cooccurrence::from_window_tokens`] takes the exact number of window positions instead
/// (windows overlap, and are cut at article boundaries), which an engine that counted them
/// knows.
///
/// Not every tool adjusts for the window. Evert's R package `corpora` (`am.score`, argument
/// `span.size`, default 1) leaves it to the user; WordSmith's manual gives MI and the t-score
/// with `E = f(node)·f(collocate)/N` and uses the span only in its z-score; #LancsBox documents
/// `E11 = R1·C1/N` with `R1 = f(node)` (Brezina 2018, *Statistics in Corpus Linguistics*, ch. 3);
/// for AntConc we have not checked. `span = 1` reproduces the unadjusted tools: with it, MI is
/// higher by `log2(span)` than Evert's, and the t-score and log-likelihood differ too.
/// Dice and logDice do not use the expected frequency and are the same either way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cooccurrence {
    /// O11: occurrences of the collocate inside the windows around the node.
    pub observed: u64,
    /// f(node): occurrences of the node in the corpus.
    pub node_freq: u64,
    /// f(collocate): occurrences of the collocate in the corpus.
    pub collocate_freq: u64,
    /// N: tokens in the corpus.
    pub corpus_size: u64,
    /// R1: window positions around the node (`span · f(node)` unless given exactly).
    pub window_tokens: f64,
}

impl Cooccurrence {
    /// Counts with a window of `span` tokens (left plus right) around each occurrence of the
    /// node: `R1 = span · f(node)`. Use `span = 1` to reproduce tools that do not adjust for
    /// the window.
    pub fn new(
        observed: u64,
        node_freq: u64,
        collocate_freq: u64,
        corpus_size: u64,
        span: u64,
    ) -> Self {
        Self {
            observed,
            node_freq,
            collocate_freq,
            corpus_size,
            window_tokens: span as f64 * node_freq as f64,
        }
    }

    /// Counts with the exact number of token positions inside the node's windows (`R1`).
    pub fn from_window_tokens(
        observed: u64,
        node_freq: u64,
        collocate_freq: u64,
        corpus_size: u64,
        window_tokens: u64,
    ) -> Self {
        Self {
            observed,
            node_freq,
            collocate_freq,
            corpus_size,
            window_tokens: window_tokens as f64,
        }
    }

    /// The four observed cells `[O11, O12, O21, O22]`, `None` if any is negative (inconsistent
    /// counts: more co-occurrences than window positions or collocate occurrences, or more
    /// window positions and collocates than the corpus holds) or the corpus is empty.
    fn cells(&self) -> Option<[f64; 4]> {
        let n = self.corpus_size as f64;
        let o11 = self.observed as f64;
        let r1 = self.window_tokens;
        let c1 = self.collocate_freq as f64;
        let cells = [o11, r1 - o11, c1 - o11, n - r1 - c1 + o11];
        if self.corpus_size == 0 || !r1.is_finite() || cells.iter().any(|&x| x < 0.0) {
            return None;
        }
        Some(cells)
    }

    /// E11 = R1 · f(collocate) / N, with `R1 = span · f(node)` (see the type's documentation).
    /// `None` for inconsistent counts or an empty corpus.
    pub fn expected(&self) -> Option<f64> {
        self.cells()?;
        Some(self.window_tokens * self.collocate_freq as f64 / self.corpus_size as f64)
    }

    /// Mutual information (Church & Hanks 1990, "Word association norms, mutual information,
    /// and lexicography"): `MI = log2(O11 / E11)`. Favours rare pairs; 3 is a common threshold.
    /// `None` when `O11 = 0` (−∞), `E11 = 0`, or the counts are inconsistent.
    pub fn mi(&self) -> Option<f64> {
        let e = self.expected()?;
        if self.observed == 0 || e <= 0.0 {
            return None;
        }
        Some((self.observed as f64 / e).log2())
    }

    /// MI3 (Daille 1994; as in Sketch Engine): `MI3 = log2(O11³ / E11)`, MI with
    /// the observed frequency cubed to counter MI's bias towards rare pairs. The same `None`
    /// cases as [`Cooccurrence::mi`].
    pub fn mi3(&self) -> Option<f64> {
        let e = self.expected()?;
        if self.observed == 0 || e <= 0.0 {
            return None;
        }
        Some(3.0 * (self.observed as f64).log2() - e.log2())
    }

    /// t-score (Church, Gale, Hanks & Hindle 1991, "Using statistics in lexical analysis"):
    /// `t = (O11 − E11) / √O11`. Favours frequent pairs; 2 is a common threshold. `None` when
    /// `O11 = 0` (division by zero) or the counts are inconsistent.
    pub fn t_score(&self) -> Option<f64> {
        let e = self.expected()?;
        if self.observed == 0 {
            return None;
        }
        let o = self.observed as f64;
        Some((o - e) / o.sqrt())
    }

    /// Log-likelihood G² on the 2×2 contingency table (Dunning 1993, "Accurate methods for the
    /// statistics of surprise and coincidence"):
    ///
    /// ```text
    /// G² = 2 · Σᵢⱼ Oᵢⱼ · ln(Oᵢⱼ / Eᵢⱼ)        Eᵢⱼ = Rᵢ · Cⱼ / N
    /// O11 = co-occurrences, O12 = R1 − O11, O21 = f(collocate) − O11, O22 = N − R1 − f(collocate) + O11
    /// ```
    ///
    /// with `R1` the window positions (see the type's documentation) and `0·ln 0 = 0`. Never
    /// negative; [`Cooccurrence::signed_log_likelihood`] gives attraction (+) or repulsion
    /// (−). `None` for inconsistent counts or an empty corpus.
    pub fn log_likelihood(&self) -> Option<f64> {
        let [o11, o12, o21, o22] = self.cells()?;
        let n = self.corpus_size as f64;
        let (r1, r2) = (o11 + o12, o21 + o22);
        let (c1, c2) = (o11 + o21, o12 + o22);
        let g2 = 2.0
            * (x_ln_x_over(o11, r1 * c1 / n)
                + x_ln_x_over(o12, r1 * c2 / n)
                + x_ln_x_over(o21, r2 * c1 / n)
                + x_ln_x_over(o22, r2 * c2 / n));
        Some(g2.max(0.0))
    }

    /// [`Cooccurrence::log_likelihood`], positive when the pair co-occurs more often than
    /// expected (`O11 > E11`), negative when less often, 0 when exactly as often.
    pub fn signed_log_likelihood(&self) -> Option<f64> {
        let g2 = self.log_likelihood()?;
        let e = self.expected()?;
        let o = self.observed as f64;
        Some(if o > e {
            g2
        } else if o < e {
            -g2
        } else {
            0.0
        })
    }

    /// The Dice coefficient (Dice 1945; Smadja, McKeown & Hatzivassiloglou 1996):
    /// `Dice = 2·O11 / (f(node) + f(collocate))`, between 0 and 1 when `O11 ≤ min(f(node),
    /// f(collocate))` (with wide windows a collocate can be counted near several occurrences
    /// of the node and Dice can exceed 1). `None` when both frequencies are 0.
    pub fn dice(&self) -> Option<f64> {
        let denominator = self.node_freq as f64 + self.collocate_freq as f64;
        if denominator == 0.0 {
            return None;
        }
        Some(2.0 * self.observed as f64 / denominator)
    }

    /// logDice (Rychlý 2008, "A lexicographer-friendly association score", RASLAN 2008):
    /// `logDice = 14 + log2(2·O11 / (f(node) + f(collocate)))`. Its maximum is 14 (every
    /// occurrence of each word is in the pair); 0 means one co-occurrence per 16,384 (2¹⁴)
    /// occurrences of the two words; one point more means twice as frequent a pair. It does not
    /// depend on the corpus size or the expected frequency, so the window makes no difference.
    /// `None` when `O11 = 0` (−∞) or both frequencies are 0.
    pub fn log_dice(&self) -> Option<f64> {
        if self.observed == 0 {
            return None;
        }
        Some(14.0 + self.dice()?.log2())
    }
}

// ---------------------------------------------------------------------------------------------
// TF-IDF

/// How the inverse document frequency of [`tf_idf`] is computed, with `N` documents of which
/// `df` contain the term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Idf {
    /// `idf = ln(N / df)`: the textbook form (Spärck Jones 1972, with the natural logarithm).
    /// A term in every document gets 0; `df = 0` is undefined.
    #[default]
    Standard,
    /// `idf = ln((1 + N) / (1 + df)) + 1`: scikit-learn's `TfidfTransformer` default
    /// (`smooth_idf=True`), as if one extra document contained every term once. Defined for
    /// `df = 0`; a term in every document gets 1.
    SklearnSmooth,
    /// `idf = ln(N / df) + 1`: scikit-learn with `smooth_idf=False`.
    Sklearn,
}

/// The inverse document frequency of a term found in `df` of `n_docs` documents. `None` when
/// `df > n_docs`, when there are no documents, or (for [`Idf::Standard`] and [`Idf::Sklearn`])
/// when `df = 0`.
pub fn idf(n_docs: u64, df: u64, variant: Idf) -> Option<f64> {
    if n_docs == 0 || df > n_docs {
        return None;
    }
    let (n, df) = (n_docs as f64, df as f64);
    match variant {
        Idf::Standard if df > 0.0 => Some((n / df).ln()),
        Idf::Sklearn if df > 0.0 => Some((n / df).ln() + 1.0),
        Idf::SklearnSmooth => Some(((1.0 + n) / (1.0 + df)).ln() + 1.0),
        Idf::Standard | Idf::Sklearn => None,
    }
}

/// TF-IDF of a term: `tf × idf`, with `tf` the raw count of the term in the document and the
/// idf of the chosen variant ([`Idf`]). scikit-learn then scales each document's vector to unit
/// length (`norm='l2'`); that is an operation on whole vectors and is not done here. `None` in
/// the cases of [`idf`].
pub fn tf_idf(tf: u64, n_docs: u64, df: u64, variant: Idf) -> Option<f64> {
    Some(tf as f64 * idf(n_docs, df, variant)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares with a relative tolerance of 1e-9 (absolute near zero).
    fn close(got: f64, want: f64) -> bool {
        (got - want).abs() <= 1e-9 * want.abs().max(1.0)
    }

    fn check(name: &str, got: Option<f64>, want: Option<f64>) {
        match (got, want) {
            (Some(g), Some(w)) => assert!(close(g, w), "{name}: got {g}, want {w}"),
            (None, None) => {}
            _ => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }

    /// Keyness fixtures: (a, b, c, d) → (G², signed G², BIC, Log Ratio, %DIFF).
    #[allow(clippy::type_complexity)]
    const KEYNESS: &[((u64, u64, u64, u64), [Option<f64>; 5])] = &[
        // a=10 of c=1000, b=5 of d=2000.
        // E1 = 1000·15/3000 = 5, E2 = 2000·15/3000 = 10.
        // G² = 2·(10·ln(10/5) + 5·ln(5/10)) = 2·(10 ln 2 − 5 ln 2) = 10 ln 2 = 6.931471805599453.
        // BIC = 10 ln 2 − ln 3000 = 6.931471805599453 − 8.006367567650246 = −1.074895762050793.
        // Log Ratio = log2((10/1000)/(5/2000)) = log2(0.01/0.0025) = log2 4 = 2.
        // %DIFF = (0.01 − 0.0025)·100/0.0025 = 300.
        (
            (10, 5, 1000, 2000),
            [
                Some(6.931471805599453),
                Some(6.931471805599453),
                Some(-1.074895762050793),
                Some(2.0),
                Some(300.0),
            ],
        ),
        // Only in the reference: a=0 of 1000, b=20 of 1000. E1 = E2 = 10.
        // G² = 2·(0 + 20·ln(20/10)) = 40 ln 2 = 27.725887222397812; underuse, so −27.7….
        // BIC = 40 ln 2 − ln 2000 = 27.725887222397812 − 7.600902459542082 = 20.12498476285573.
        // Log Ratio with 0.5 for the zero: log2((0.5/1000)/(20/1000)) = log2(0.025) = −5.321928094887363.
        // %DIFF = (0 − 0.02)·100/0.02 = −100.
        (
            (0, 20, 1000, 1000),
            [
                Some(27.725887222397812),
                Some(-27.725887222397812),
                Some(20.12498476285573),
                Some(-5.321928094887363),
                Some(-100.0),
            ],
        ),
        // Only in the target: a=7 of 500, b=0 of 1500. E1 = 500·7/2000 = 1.75, E2 = 5.25.
        // G² = 2·7·ln(7/1.75) + 0 = 14 ln 4 = 19.408121055678468.
        // BIC = 14 ln 4 − ln 2000 = 19.408121055678468 − 7.600902459542082 = 11.807218596136386.
        // Log Ratio = log2((7/500)/(0.5/1500)) = log2(0.014/0.000333…) = log2 42 = 5.392317422778761.
        // %DIFF = (0.014 − 1e-18)·100/1e-18 = 1.4e18 (the reference's zero taken as 1e-18).
        (
            (7, 0, 500, 1500),
            [
                Some(19.408121055678468),
                Some(19.408121055678468),
                Some(11.807218596136386),
                Some(5.392317422778761),
                Some(1.4e18),
            ],
        ),
        // Equal relative frequencies: 100 of 10,000 in both. E1 = E2 = 100, G² = 0.
        // BIC = 0 − ln 20000 = −9.903487552536127. Log Ratio = log2 1 = 0. %DIFF = 0.
        (
            (100, 100, 10_000, 10_000),
            [
                Some(0.0),
                Some(0.0),
                Some(-9.903487552536127),
                Some(0.0),
                Some(0.0),
            ],
        ),
        // In neither corpus: G² = 0 (both terms 0), BIC = −ln 200; nothing to compare for the
        // effect sizes.
        (
            (0, 0, 100, 100),
            [Some(0.0), Some(0.0), Some(-5.298317366548036), None, None],
        ),
        // Empty corpora and impossible counts: undefined everywhere.
        ((0, 0, 0, 100), [None, None, None, None, None]),
        ((3, 1, 100, 0), [None, None, None, None, None]),
        ((0, 0, 0, 0), [None, None, None, None, None]),
        ((101, 1, 100, 100), [None, None, None, None, None]),
    ];

    #[test]
    fn keyness_against_hand_computed_values() {
        for &((a, b, c, d), want) in KEYNESS {
            let name = format!("({a}, {b}, {c}, {d})");
            check(&format!("G² {name}"), log_likelihood(a, b, c, d), want[0]);
            check(
                &format!("signed G² {name}"),
                signed_log_likelihood(a, b, c, d),
                want[1],
            );
            check(&format!("BIC {name}"), bic(a, b, c, d), want[2]);
            check(&format!("Log Ratio {name}"), log_ratio(a, b, c, d), want[3]);
            check(&format!("%DIFF {name}"), percent_diff(a, b, c, d), want[4]);
        }
    }

    #[test]
    fn direction_is_exact() {
        assert_eq!(direction(10, 5, 1000, 2000), Some(Direction::Overuse));
        assert_eq!(direction(0, 20, 1000, 1000), Some(Direction::Underuse));
        assert_eq!(direction(1, 3, 100, 300), Some(Direction::Equal));
        assert_eq!(direction(1, 3, 0, 300), None);
        // Huge counts do not overflow (products in u128).
        assert_eq!(
            direction(u64::MAX - 1, u64::MAX - 2, u64::MAX, u64::MAX),
            Some(Direction::Overuse)
        );
    }

    #[test]
    fn p_values_match_the_published_critical_values() {
        // Rayson's table of critical values of G² (1 d.f.), and the exact quantiles of χ²₁.
        let table = [
            (3.84, 0.05, 0.01),
            (6.63, 0.01, 0.01),
            (10.83, 0.001, 0.01),
            (15.13, 0.0001, 0.01),
            (3.841458820694124, 0.05, 1e-9),
            (6.634896601021214, 0.01, 1e-9),
            (10.827566170662733, 0.001, 1e-9),
            (15.136705226623606, 0.0001, 1e-8),
        ];
        for (g2, p, relative) in table {
            let got = chi2_1df_p_value(g2);
            assert!(
                (got - p).abs() <= relative * p,
                "G² = {g2}: p = {got}, want {p}"
            );
        }
        // G² = 10 ln 2 (the first fixture): p = erfc(√(3.4657…)) = erfc(1.8616…) = 0.008469….
        assert!((chi2_1df_p_value(6.931471805599453) - 0.00846919650753501).abs() < 1e-15);
        // The sign of a signed G² is ignored; 0 gives 1; NaN stays NaN.
        assert_eq!(chi2_1df_p_value(-3.84), chi2_1df_p_value(3.84));
        assert_eq!(chi2_1df_p_value(0.0), 1.0);
        assert!(chi2_1df_p_value(f64::NAN).is_nan());
        assert_eq!(chi2_1df_p_value(f64::INFINITY), 0.0);
        assert!(chi2_1df_p_value(1e6) >= 0.0);
    }

    #[test]
    fn percent_diff_zero_reference_is_documented_value() {
        // a/c = 1/1000 = 0.001; %DIFF = (0.001 − 1e-18)·100/1e-18 = 1e17.
        check("%DIFF", percent_diff(1, 0, 1000, 50), Some(1e17));
        // Absent from the target: −100 whatever the sizes.
        check("%DIFF", percent_diff(0, 3, 10, 50), Some(-100.0));
    }

    #[test]
    fn relative_frequencies() {
        // 25 in 500,000 tokens: 25 · 1,000,000 / 500,000 = 50 per million.
        check("per million", per_million(25, 500_000), Some(50.0));
        check(
            "per thousand",
            relative_frequency(3, 1500, 1000.0),
            Some(2.0),
        );
        check("empty corpus", per_million(0, 0), None);
    }

    /// DP fixtures: (total size, total frequency, parts with hits) → DP.
    #[allow(clippy::type_complexity)]
    const DP: &[(u64, u64, &[(u64, u64)], Option<f64>)] = &[
        // Gries (2008): parts of 9, 10, 10, 10, 11 tokens (S = 50), frequencies 1..5 (F = 15).
        // Expected shares .18 .2 .2 .2 .22; observed 1/15 2/15 3/15 4/15 5/15
        // = .0667 .1333 .2 .2667 .3333; |differences| = .1133 .0667 0 .0667 .1133, sum .36,
        // DP = .18.
        (
            50,
            15,
            &[(9, 1), (10, 2), (10, 3), (10, 4), (11, 5)],
            Some(0.18),
        ),
        // Sparse: parts of 10, 20, 30, 40 (S = 100); the word 3 times in the 20-token part and
        // once in the 40-token part (F = 4). Hit parts: |3/4 − .2| + |1/4 − .4| = .55 + .15 =
        // .7; parts without hits: (100 − 60)/100 = .4. DP = (.7 + .4)/2 = .55.
        (100, 4, &[(20, 3), (40, 1)], Some(0.55)),
        // The same with the zero parts listed: no change.
        (100, 4, &[(10, 0), (20, 3), (30, 0), (40, 1)], Some(0.55)),
        // All in one part of 1 token among 1000: |1 − .001| + (999/1000) = 1.998, DP = .999.
        (1000, 5, &[(1, 5)], Some(0.999)),
        // One part holding the whole corpus: DP = ½·(|1 − 1| + 0) = 0.
        (7, 2, &[(7, 2)], Some(0.0)),
        // Undefined: no tokens, no occurrences, frequencies not adding up, sizes too large.
        (0, 0, &[], None),
        (10, 0, &[], None),
        (100, 5, &[(20, 3)], None),
        (10, 3, &[(20, 3)], None),
        (10, 3, &[(u64::MAX, 1), (1, 2)], None),
    ];

    #[test]
    fn dp_against_hand_computed_values() {
        for &(size, freq, parts, want) in DP {
            check(
                &format!("DP {size} {freq} {parts:?}"),
                dp(size, freq, parts),
                want,
            );
        }
    }

    #[test]
    fn dp_dense_and_published_examples() {
        // Gries's example in dense form.
        check(
            "dense",
            dp_dense(&[(9, 1), (10, 2), (10, 3), (10, 4), (11, 5)]),
            Some(0.18),
        );
        // DPnorm = .18 / (1 − 9/50) = .18/.82 = 0.21951219512195122.
        check(
            "DPnorm",
            dp_norm(50, 15, &[(9, 1), (10, 2), (10, 3), (10, 4), (11, 5)], 9),
            Some(0.21951219512195122),
        );
        // Sparse DPnorm: .55 / (1 − 10/100) = .6111….
        check(
            "DPnorm sparse",
            dp_norm(100, 4, &[(20, 3), (40, 1)], 10),
            Some(0.6111111111111112),
        );
        check("DPnorm one part", dp_norm(7, 2, &[(7, 2)], 7), None);
        check(
            "DPnorm zero part",
            dp_norm(100, 4, &[(20, 3), (40, 1)], 0),
            None,
        );
        // Lyne's (1985) French lemma ALLEMAND over the ten tenths of his corpus, from the README
        // of the R package tlda (Sönning), whose disp() prints DP = 0.4990705 with Gries's
        // scaling (0 = even). Gries 2008's formula gives 0.49907045…, the printed value.
        let sizes = [8143, 8058, 8271, 8125, 7959, 7941, 8146, 8001, 8003, 7930];
        let freqs = [2, 0, 1, 1, 3, 0, 3, 0, 0, 0];
        let parts: Vec<(u64, u64)> = sizes.iter().copied().zip(freqs).collect();
        let got = dp_dense(&parts).unwrap();
        assert!((got - 0.4990705).abs() < 5e-8, "Lyne DP {got}");
        let hits: Vec<(u64, u64)> = parts.iter().copied().filter(|p| p.1 > 0).collect();
        // The sparse form agrees (to rounding: it sums the parts without hits in integers).
        check("Lyne sparse", dp(sizes.iter().sum(), 10, &hits), Some(got));
        check("dense empty", dp_dense(&[]), None);
        check("dense overflow", dp_dense(&[(u64::MAX, 1), (1, 1)]), None);
    }

    #[test]
    fn document_frequency_counts_parts_with_hits() {
        assert_eq!(document_frequency(&[0, 3, 0, 1]), 2);
        assert_eq!(document_frequency(&[]), 0);
    }

    #[test]
    fn collocation_against_hand_computed_values() {
        // N = 10,000; f(node) = 50; f(collocate) = 40; O11 = 10; no window adjustment.
        // E11 = 50·40/10000 = 0.2.
        // MI = log2(10/0.2) = log2 50 = 5.643856189774724.
        // MI3 = log2(1000/0.2) = log2 5000 = 12.287712379549449.
        // t = (10 − 0.2)/√10 = 9.8/3.1622776601683795 = 3.0990321069650117.
        // Dice = 2·10/(50 + 40) = 0.2222…; logDice = 14 + log2(0.2222…) = 14 − 2.1699250014423126
        //      = 11.830074998557688.
        // G²: O = [10, 40, 30, 9920]; R = [50, 9950]; C = [40, 9960];
        //     E = [0.2, 49.8, 39.8, 9910.2];
        //     G² = 2·(10 ln 50 + 40 ln(40/49.8) + 30 ln(30/39.8) + 9920 ln(9920/9910.2))
        //        = 2·(39.12023 − 8.76549 − 8.48366 + 9.80484) = 63.35913371010133.
        let c = Cooccurrence::new(10, 50, 40, 10_000, 1);
        check("E11", c.expected(), Some(0.2));
        check("MI", c.mi(), Some(5.643856189774724));
        check("MI3", c.mi3(), Some(12.287712379549449));
        check("t", c.t_score(), Some(3.0990321069650117));
        check("G²", c.log_likelihood(), Some(63.35913371010133));
        check(
            "signed G²",
            c.signed_log_likelihood(),
            Some(63.35913371010133),
        );
        check("Dice", c.dice(), Some(2.0 / 9.0));
        check("logDice", c.log_dice(), Some(11.830074998557688));

        // The same with a window of 4 (L2–R2): R1 = 4·50 = 200, E11 = 200·40/10000 = 0.8.
        // MI = log2(10/0.8) = log2 12.5 = 3.643856189774725 (= 5.6439 − log2 4).
        // MI3 = log2(1000/0.8) = 10.287712379549449. t = (10 − 0.8)/√10 = 2.9092954473549084.
        // G²: O = [10, 190, 30, 9770]; E = [0.8, 199.2, 39.2, 9760.8]: 34.90607593916326.
        // Dice and logDice unchanged.
        let w = Cooccurrence::new(10, 50, 40, 10_000, 4);
        check("E11 span", w.expected(), Some(0.8));
        check("MI span", w.mi(), Some(3.643856189774725));
        check("MI3 span", w.mi3(), Some(10.287712379549449));
        check("t span", w.t_score(), Some(2.9092954473549084));
        check("G² span", w.log_likelihood(), Some(34.90607593916326));
        check("logDice span", w.log_dice(), Some(11.830074998557688));
        assert_eq!(Cooccurrence::from_window_tokens(10, 50, 40, 10_000, 200), w);
    }

    #[test]
    fn log_dice_published_reference_points() {
        // Rychlý (2008): the maximum 14 when every occurrence of each word is in the pair …
        check(
            "max",
            Cooccurrence::new(7, 7, 7, 1000, 1).log_dice(),
            Some(14.0),
        );
        // … and 0 for one co-occurrence per 16,000-odd occurrences: 2/(2·16384) = 2⁻¹⁴.
        check(
            "zero",
            Cooccurrence::new(1, 16_384, 16_384, 1_000_000, 1).log_dice(),
            Some(0.0),
        );
        // One point more means twice as frequent a pair.
        let one = Cooccurrence::new(5, 100, 60, 100_000, 1)
            .log_dice()
            .unwrap();
        let two = Cooccurrence::new(10, 100, 60, 100_000, 1)
            .log_dice()
            .unwrap();
        assert!(close(two - one, 1.0));
    }

    #[test]
    fn collocation_edge_cases() {
        // Never together: MI, MI3, t and logDice undefined, Dice 0, G² > 0 and negative signed.
        let apart = Cooccurrence::new(0, 500, 400, 10_000, 1);
        assert_eq!(apart.mi(), None);
        assert_eq!(apart.mi3(), None);
        assert_eq!(apart.t_score(), None);
        assert_eq!(apart.log_dice(), None);
        assert_eq!(apart.dice(), Some(0.0));
        // E11 = 20; G² = 2·(0 + 500 ln(500/480) + 400 ln(400/380) + 9100 ln(9100/9120))
        //      = 2·(20.41100 + 20.51730 − 19.97812) = 41.90036… (positive), signed negative.
        let g2 = apart.log_likelihood().unwrap();
        assert!(g2 > 41.9 && g2 < 41.91, "{g2}");
        assert_eq!(apart.signed_log_likelihood(), Some(-g2));
        // Empty corpus and inconsistent counts.
        let empty = Cooccurrence::new(0, 0, 0, 0, 1);
        for v in [
            empty.expected(),
            empty.mi(),
            empty.t_score(),
            empty.log_likelihood(),
            empty.log_dice(),
            empty.dice(),
        ] {
            assert_eq!(v, None);
        }
        // More co-occurrences than collocate occurrences (span 1), or windows beyond the corpus.
        assert_eq!(Cooccurrence::new(50, 60, 40, 1000, 1).mi(), None);
        assert_eq!(Cooccurrence::new(1, 400, 2, 1000, 3).log_likelihood(), None);
        // Huge values do not panic.
        let huge = Cooccurrence::new(u64::MAX, u64::MAX, u64::MAX, u64::MAX, u64::MAX);
        let _ = (
            huge.mi(),
            huge.log_likelihood(),
            huge.log_dice(),
            huge.t_score(),
        );
        // Exactly as expected: signed G² is 0. E11 = 10·100/1000 = 1 = O11.
        assert_eq!(
            Cooccurrence::new(1, 10, 100, 1000, 1).signed_log_likelihood(),
            Some(0.0)
        );
    }

    #[test]
    fn tf_idf_variants() {
        // N = 10 documents, df = 2, tf = 3.
        // Standard: 3·ln(10/2) = 3·1.6094379124341003 = 4.828313737302301.
        // sklearn smooth: 3·(ln(11/3) + 1) = 3·2.2992829841302607 = 6.897848952390782.
        // sklearn: 3·(ln 5 + 1) = 7.8283137373023015.
        check(
            "std",
            tf_idf(3, 10, 2, Idf::Standard),
            Some(4.828313737302301),
        );
        check(
            "smooth",
            tf_idf(3, 10, 2, Idf::SklearnSmooth),
            Some(6.897848952390782),
        );
        check(
            "sklearn",
            tf_idf(3, 10, 2, Idf::Sklearn),
            Some(7.8283137373023015),
        );
        // scikit-learn's user guide example (6 documents; a term in all 6, one in 1, one in 2):
        // smooth idf_ = [1, 2.25276297, 1.84729786]; without smoothing term 3 gets
        // ln(6/2) + 1 = 2.0986.
        let smooth: Vec<f64> = [6, 1, 2]
            .iter()
            .map(|&df| idf(6, df, Idf::SklearnSmooth).unwrap())
            .collect();
        for (got, want) in smooth.iter().zip([1.0, 2.25276297, 1.84729786]) {
            assert!((got - want).abs() < 1e-8, "{got} vs {want}");
        }
        assert!((idf(6, 2, Idf::Sklearn).unwrap() - 2.0986).abs() < 1e-4);
        // A term in every document: 0 (standard), 1 (sklearn variants).
        check("all std", idf(6, 6, Idf::Standard), Some(0.0));
        check("all sklearn", idf(6, 6, Idf::Sklearn), Some(1.0));
        // df = 0: undefined except smoothed: ln(11/1) + 1 = 3.3978952727983707.
        check("df0 std", idf(10, 0, Idf::Standard), None);
        check("df0 sklearn", idf(10, 0, Idf::Sklearn), None);
        check(
            "df0 smooth",
            idf(10, 0, Idf::SklearnSmooth),
            Some(3.3978952727983707),
        );
        // Impossible or empty.
        check("df > N", idf(10, 11, Idf::SklearnSmooth), None);
        check("no docs", idf(0, 0, Idf::SklearnSmooth), None);
    }
}
