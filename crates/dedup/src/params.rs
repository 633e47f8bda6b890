//! Parameters of near-duplicate detection (shingle size, MinHash length, threshold, canonical
//! rule) and the LSH banding derived from them: how many bands of how many rows, and why.

use serde::{Deserialize, Serialize};

use crate::DedupError;

/// The most MinHash values a signature may have.
pub const MAX_PERMUTATIONS: usize = 1024;
/// The largest shingle size (it is stored in one byte of a signature).
pub const MAX_SHINGLE: usize = 255;
/// Banding is chosen so that a pair whose Jaccard similarity is exactly the threshold becomes a
/// candidate with at least this probability (pairs above the threshold with more).
pub const BANDING_RECALL: f64 = 0.99;

/// Which member of a cluster is its canonical one (and gives the cluster its id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Canonical {
    /// The earliest dated member; members with equal dates, and undated ones (which come after
    /// every dated one), are ordered by lowest id. The original, not a republication, leads.
    #[default]
    Earliest,
    /// The member with the most characters (the fullest version); ties by earliest date, then
    /// lowest id.
    Longest,
}

/// Parameters of signatures and clustering. Every field has a default (`#[serde(default)]`), so a
/// settings file may give only the fields it changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// Words per shingle (k). Texts with fewer than k tokens are one "shingle" each, so their
    /// signatures match only exact copies (after folding). Default 5.
    pub shingle: usize,
    /// MinHash values per signature (N). The standard error of an estimated Jaccard similarity J
    /// is √(J(1−J)/N): 0.035 at J = 0.8 with the default 128.
    pub permutations: usize,
    /// Two articles are near-duplicates when their estimated Jaccard similarity (of shingle
    /// sets) is at least this. Default 0.8.
    ///
    /// A copy with a share c of its tokens added, removed or replaced has J ≈ (1 − c)/(1 + c),
    /// less when the edits are scattered words (each breaks k shingles). On the planted
    /// evaluation (`tests/planted.rs`), 0.8 finds 89% of the copies with 5–10% of the text
    /// changed but 30% of those with 15–20%; 0.65 finds 98% of both, with precision still 1.0.
    pub threshold: f64,
    /// LSH bands; `None` derives them from the threshold (see [`Params::banding`]).
    pub bands: Option<usize>,
    /// At most this many earlier members of one LSH bucket are compared with a new article (the
    /// most recent ones). Only buckets of boilerplate shared by very many distinct texts reach
    /// it; exact copies never fill buckets (see `Index`). Default 100.
    pub max_bucket_scan: usize,
    /// The rule choosing each cluster's canonical member.
    pub canonical: Canonical,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            shingle: 5,
            permutations: 128,
            threshold: 0.8,
            bands: None,
            max_bucket_scan: 100,
            canonical: Canonical::Earliest,
        }
    }
}

/// LSH banding: the signature's first `bands × rows` values cut into `bands` runs of `rows`;
/// two signatures become a candidate pair when any band is equal in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Banding {
    pub bands: usize,
    pub rows: usize,
}

impl Banding {
    /// The probability that two texts of Jaccard similarity `s` become a candidate pair:
    /// `1 − (1 − s^rows)^bands`.
    pub fn candidate_probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The similarity at which the candidate probability rises most steeply, about
    /// `(1/bands)^(1/rows)`.
    pub fn midpoint(&self) -> f64 {
        (1.0 / self.bands as f64).powf(1.0 / self.rows as f64)
    }
}

impl Params {
    /// Checks the parameters; every public entry point that clusters calls it.
    pub fn validate(&self) -> Result<(), DedupError> {
        let bad = |why: String| Err(DedupError::Params(why));
        if !(1..=MAX_SHINGLE).contains(&self.shingle) {
            return bad(format!(
                "shingle is {}, not in 1..={MAX_SHINGLE}",
                self.shingle
            ));
        }
        if !(1..=MAX_PERMUTATIONS).contains(&self.permutations) {
            return bad(format!(
                "permutations is {}, not in 1..={MAX_PERMUTATIONS}",
                self.permutations
            ));
        }
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return bad(format!("threshold is {}, not in (0, 1]", self.threshold));
        }
        if let Some(b) = self.bands {
            if !(1..=self.permutations).contains(&b) {
                return bad(format!(
                    "bands is {b}, not in 1..={} (the permutations)",
                    self.permutations
                ));
            }
        }
        if self.max_bucket_scan == 0 {
            return bad("max_bucket_scan is 0".to_string());
        }
        Ok(())
    }

    /// The LSH banding. With `bands` given, rows = ⌊permutations / bands⌋. Otherwise rows is
    /// the largest r for which, with bands = ⌊N / r⌋, a pair exactly at the threshold t becomes
    /// a candidate with probability `1 − (1 − t^r)^bands ≥ 0.99` ([`BANDING_RECALL`]): the
    /// fewest bands (least memory, fewest false candidates) that lose at most 1% of pairs at the
    /// threshold, and fewer above it.
    ///
    /// With N = 128: t = 0.8 → 21 bands × 6 rows (pairs at J = 0.8 found with p = 0.998, at 0.5
    /// with p = 0.28, at 0.3 with p = 0.015); t = 0.9 → 12 × 10; t = 0.7 → 32 × 4;
    /// t = 0.6 → 42 × 3.
    pub fn banding(&self) -> Result<Banding, DedupError> {
        self.validate()?;
        let n = self.permutations;
        if let Some(bands) = self.bands {
            return Ok(Banding {
                bands,
                rows: n / bands,
            });
        }
        let best = (1..=n)
            .rev()
            .map(|rows| Banding {
                bands: n / rows,
                rows,
            })
            .find(|b| b.candidate_probability(self.threshold) >= BANDING_RECALL)
            // r = 1 gives b = N bands: the most sensitive banding there is.
            .unwrap_or(Banding { bands: n, rows: 1 });
        Ok(best)
    }

    /// The least number of equal MinHash values (out of `permutations`) that verifies a pair:
    /// ⌈threshold × N⌉.
    pub(crate) fn needed_matches(&self) -> usize {
        let n = self.permutations as f64;
        ((self.threshold * n - 1e-9).ceil().max(1.0) as usize).min(self.permutations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_banding() {
        // (permutations, threshold, bands, rows)
        let cases = [
            (128, 0.8, 21, 6),
            (128, 0.9, 12, 10),
            (128, 0.7, 32, 4),
            (128, 0.6, 42, 3),
            (128, 1.0, 1, 128),
            (64, 0.8, 12, 5),
            (1, 0.8, 1, 1),
        ];
        for (permutations, threshold, bands, rows) in cases {
            let p = Params {
                permutations,
                threshold,
                ..Params::default()
            };
            let b = p.banding().unwrap();
            assert_eq!(
                (b.bands, b.rows),
                (bands, rows),
                "N = {permutations}, t = {threshold}"
            );
            if permutations > 1 {
                assert!(b.candidate_probability(threshold) >= BANDING_RECALL);
            }
        }
    }

    #[test]
    fn default_banding_curve() {
        let b = Params::default().banding().unwrap();
        // (similarity, lowest, highest candidate probability)
        let cases = [
            (0.95, 0.9999, 1.0),
            (0.8, 0.998, 0.999),
            (0.5, 0.27, 0.29),
            (0.3, 0.01, 0.02),
            (0.1, 0.0, 0.0001),
        ];
        for (s, lo, hi) in cases {
            let p = b.candidate_probability(s);
            assert!(lo <= p && p <= hi, "s = {s}: {p}");
        }
        assert!((0.55..0.65).contains(&b.midpoint()), "{}", b.midpoint());
    }

    #[test]
    fn explicit_bands() {
        let p = Params {
            bands: Some(16),
            ..Params::default()
        };
        assert_eq!(p.banding().unwrap(), Banding { bands: 16, rows: 8 });
    }

    #[test]
    fn invalid_parameters_are_errors() {
        let cases = [
            Params {
                shingle: 0,
                ..Params::default()
            },
            Params {
                shingle: 256,
                ..Params::default()
            },
            Params {
                permutations: 0,
                ..Params::default()
            },
            Params {
                permutations: 5000,
                ..Params::default()
            },
            Params {
                threshold: 0.0,
                ..Params::default()
            },
            Params {
                threshold: f64::NAN,
                ..Params::default()
            },
            Params {
                threshold: 1.5,
                ..Params::default()
            },
            Params {
                bands: Some(0),
                ..Params::default()
            },
            Params {
                bands: Some(129),
                ..Params::default()
            },
            Params {
                max_bucket_scan: 0,
                ..Params::default()
            },
        ];
        for p in cases {
            assert!(
                matches!(p.banding(), Err(DedupError::Params(_))),
                "{p:?} accepted"
            );
        }
    }

    #[test]
    fn needed_matches() {
        // (permutations, threshold, matches)
        let cases = [
            (128, 0.8, 103),
            (100, 0.8, 80),
            (128, 1.0, 128),
            (128, 0.001, 1),
            (10, 0.55, 6),
        ];
        for (permutations, threshold, want) in cases {
            let p = Params {
                permutations,
                threshold,
                ..Params::default()
            };
            assert_eq!(
                p.needed_matches(),
                want,
                "N = {permutations}, t = {threshold}"
            );
        }
    }

    #[test]
    fn serde_defaults_and_partial_settings() {
        let p: Params = serde_json::from_str(r#"{"threshold": 0.9, "canonical": "longest"}"#)
            .expect("partial settings");
        assert_eq!(p.threshold, 0.9);
        assert_eq!(p.canonical, Canonical::Longest);
        assert_eq!(p.shingle, 5);
        let back: Params = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
        assert!(serde_json::from_str::<Params>(r#"{"shingles": 3}"#).is_err());
    }
}
