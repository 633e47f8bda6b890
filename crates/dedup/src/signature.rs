//! MinHash signatures: the folded tokens of a text are cut into k-word shingles, each shingle is
//! hashed once (XXH3), and N seeded hash functions keep their minimum over the shingles. The
//! values depend only on the text and on (k, N): stable across runs, machines and threads.

use std::sync::OnceLock;

use broadsheet_text::{search_text, token_spans};
use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::params::{Params, MAX_PERMUTATIONS, MAX_SHINGLE};
use crate::DedupError;

/// The version of the byte format and of the hashing behind the values. Anything that would
/// change a signature of the same text (seeds, hash functions, shingling) must change it.
pub const FORMAT_VERSION: u8 = 1;
const MAGIC: [u8; 2] = *b"MH";
const HEADER: usize = 4;

const TOKEN_SEED: u64 = 0x6272_6f61_6473_6865; // "broadshe"
const SHINGLE_SEED: u64 = 0x6574_2d73_6869_6e67; // "et-shing"
const SHORT_SEED: u64 = 0x7368_6f72_742d_7478; // "short-tx"
const COEFFICIENT_SEED: u64 = 0x6d69_6e68_6173_6831; // "minhash1"
const FINGERPRINT_SEED: u64 = 0x6669_6e67_6572_7072; // "fingerpr"

/// The value of every position in the signature of a text without tokens.
const BLANK: u32 = u32::MAX;

/// A MinHash signature: N 32-bit minima and the shingle size they were made with.
///
/// Two signatures estimate the Jaccard similarity of their texts' shingle sets as the fraction
/// of positions where they are equal ([`Signature::jaccard`]). Stored as
/// [`to_bytes`](Signature::to_bytes): `"MH"`, format version, k, then N little-endian `u32`s
/// (4 + 4N bytes: 516 for the default N = 128).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Signature {
    shingle: u8,
    values: Box<[u32]>,
}

impl Signature {
    /// The MinHash values, one per permutation.
    pub fn values(&self) -> &[u32] {
        &self.values
    }

    /// How many values (N).
    pub fn permutations(&self) -> usize {
        self.values.len()
    }

    /// The shingle size (k) the signature was made with.
    pub fn shingle(&self) -> usize {
        self.shingle as usize
    }

    /// Whether the text had no tokens at all. Such signatures never cluster with anything, not
    /// even with each other: there is no evidence that two empty articles are one article.
    pub fn is_blank(&self) -> bool {
        self.values.iter().all(|&v| v == BLANK)
    }

    /// Whether two signatures were made with the same k and N and so can be compared.
    pub fn compatible(&self, other: &Signature) -> bool {
        self.shingle == other.shingle && self.values.len() == other.values.len()
    }

    /// The estimated Jaccard similarity of the two texts' shingle sets: the fraction of equal
    /// values. `None` when the signatures are not [`compatible`](Signature::compatible); 0 when
    /// either text is blank.
    pub fn jaccard(&self, other: &Signature) -> Option<f64> {
        if !self.compatible(other) {
            return None;
        }
        if self.is_blank() || other.is_blank() {
            return Some(0.0);
        }
        let equal = self
            .values
            .iter()
            .zip(other.values.iter())
            .filter(|(a, b)| a == b)
            .count();
        Some(equal as f64 / self.values.len() as f64)
    }

    /// The bytes to store (e.g. in a BLOB column): `"MH"`, [`FORMAT_VERSION`], k, then the
    /// values as little-endian `u32`s.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + 4 * self.values.len());
        out.extend_from_slice(&MAGIC);
        out.push(FORMAT_VERSION);
        out.push(self.shingle);
        for v in self.values.iter() {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Reads bytes written by [`to_bytes`](Signature::to_bytes). A signature of another format
    /// version is an error: the caller must compute it again from the text.
    pub fn from_bytes(bytes: &[u8]) -> Result<Signature, DedupError> {
        let bad = |why: String| Err(DedupError::Bytes(why));
        if bytes.len() < HEADER || bytes[..2] != MAGIC {
            return bad("not a MinHash signature (no \"MH\" header)".to_string());
        }
        if bytes[2] != FORMAT_VERSION {
            return bad(format!(
                "format version {} (this build reads {FORMAT_VERSION}); compute it again",
                bytes[2]
            ));
        }
        let shingle = bytes[3];
        if shingle == 0 {
            return bad("shingle size 0".to_string());
        }
        let body = &bytes[HEADER..];
        let ragged = !body.chunks_exact(4).remainder().is_empty();
        if body.is_empty() || ragged || body.len() / 4 > MAX_PERMUTATIONS {
            return bad(format!(
                "{} bytes of values: not a multiple of 4 in 4..={}",
                body.len(),
                4 * MAX_PERMUTATIONS
            ));
        }
        let values = body
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Ok(Signature { shingle, values })
    }

    /// A 64-bit hash of the values: equal signatures have equal fingerprints, and unequal ones
    /// almost never do.
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut bytes = Vec::with_capacity(4 * self.values.len() + 1);
        bytes.push(self.shingle);
        for v in self.values.iter() {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        xxh3_64_with_seed(&bytes, FINGERPRINT_SEED)
    }
}

/// The coefficients (a, b) of the N hash functions `h(x) = (a·x + b) mod 2⁶⁴ >> 32` over 32-bit
/// x: Dietzfelbinger's multiply-add-shift, a strongly universal family. Drawn once from
/// SplitMix64 with a fixed seed, so signature N is the first N values of signature N' > N.
fn coefficients() -> &'static (Vec<u64>, Vec<u64>) {
    static COEFFICIENTS: OnceLock<(Vec<u64>, Vec<u64>)> = OnceLock::new();
    COEFFICIENTS.get_or_init(|| {
        let mut state = COEFFICIENT_SEED;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        (0..MAX_PERMUTATIONS).map(|_| (next(), next())).unzip()
    })
}

/// The token hashes of the folded parts, in order: each part is folded to its search form
/// ([`search_text`]) and split into tokens ([`token_spans`]), as the search index sees it.
fn token_hashes(parts: &[&str]) -> Vec<u8> {
    let folded: Vec<String> = parts.iter().map(|p| search_text(p)).collect();
    let folded: Vec<&str> = folded.iter().map(String::as_str).collect();
    folded_token_hashes(&folded)
}

/// [`token_hashes`] of texts already in their search form.
fn folded_token_hashes(parts: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut push = |token: &str| {
        let h = xxh3_64_with_seed(token.as_bytes(), TOKEN_SEED);
        out.extend_from_slice(&h.to_le_bytes());
    };
    for &folded in parts {
        if folded.is_ascii() {
            ascii_tokens(folded, &mut push);
        } else {
            for t in token_spans(folded) {
                push(t.text(folded));
            }
        }
    }
    out
}

/// [`token_spans`] of ASCII text, five times faster: in ASCII, Unicode word boundaries never
/// fall between two letters or digits, and tokens are split at everything else, so the tokens
/// are the maximal runs of ASCII letters and digits (a test holds the two equal).
fn ascii_tokens<'a>(text: &'a str, f: &mut impl FnMut(&'a str)) {
    let bytes = text.as_bytes();
    let mut start = None;
    for (i, b) in bytes.iter().enumerate() {
        match (b.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                f(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        f(&text[s..]);
    }
}

/// Calls `f` with the 64-bit hash of every shingle of the token hashes (8 bytes per token).
fn for_each_shingle(tokens: &[u8], k: usize, mut f: impl FnMut(u64)) {
    let n = tokens.len() / 8;
    if n == 0 {
    } else if n < k {
        // Too short to shingle: the whole token sequence is the one element, which no k-word
        // shingle can equal, so the text matches only its exact (folded) copies.
        f(xxh3_64_with_seed(tokens, SHORT_SEED));
    } else {
        for i in 0..=n - k {
            f(xxh3_64_with_seed(&tokens[8 * i..8 * (i + k)], SHINGLE_SEED));
        }
    }
}

fn shingle_size(params: &Params) -> usize {
    params.shingle.clamp(1, MAX_SHINGLE)
}

/// The signature of a text (for an article, title and body: see [`signature_parts`]).
///
/// Never fails: parameters out of range are clamped (k to 1..=255, N to 1..=1024), and
/// [`Params::validate`] reports them where clustering starts.
pub fn signature(text: &str, params: &Params) -> Signature {
    signature_parts(&[text], params)
}

/// The signature of the concatenated token sequences of `parts` (e.g. `[title, body]`); a
/// shingle may span two parts, exactly as if they were joined by a newline.
pub fn signature_parts(parts: &[&str], params: &Params) -> Signature {
    minhash(&token_hashes(parts), params)
}

/// [`signature_parts`] of parts already in their search form
/// ([`broadsheet_text::search_text`]), as the import has them for the full-text index: the
/// same signature without folding the text a second time.
pub fn signature_folded(parts: &[&str], params: &Params) -> Signature {
    minhash(&folded_token_hashes(parts), params)
}

fn minhash(tokens: &[u8], params: &Params) -> Signature {
    let k = shingle_size(params);
    let n = params.permutations.clamp(1, MAX_PERMUTATIONS);
    let (a, b) = coefficients();
    let (a, b) = (&a[..n], &b[..n]);
    let mut mins = vec![BLANK; n].into_boxed_slice();
    let wide = wide_vectors();
    for_each_shingle(tokens, k, |h| {
        let x = (h ^ (h >> 32)) & 0xFFFF_FFFF;
        #[cfg(target_arch = "x86_64")]
        if wide {
            // SAFETY: `wide_vectors` found the CPU has the features this function is built for.
            unsafe { lower_mins_avx512(&mut mins, a, b, x) };
            return;
        }
        let _ = wide;
        lower_mins(&mut mins, a, b, x);
    });
    Signature {
        shingle: k as u8,
        values: mins,
    }
}

/// Lowers each minimum to the shingle's value under its hash function, `(a·x + b) mod 2⁶⁴ >> 32`.
#[inline(always)]
fn lower_mins(mins: &mut [u32], a: &[u64], b: &[u64], x: u64) {
    for ((m, &a), &b) in mins.iter_mut().zip(a).zip(b) {
        let v = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
        *m = (*m).min(v);
    }
}

/// [`lower_mins`] compiled for AVX-512, whose 64-bit multiply (`vpmullq`) lets the compiler
/// take eight hash functions at a time: the same arithmetic, so the same signatures, in less
/// than half the time (docs/PERFORMANCE.md, "Issue 17, second round").
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
fn lower_mins_avx512(mins: &mut [u32], a: &[u64], b: &[u64], x: u64) {
    lower_mins(mins, a, b, x)
}

/// Whether this CPU runs [`lower_mins_avx512`] (asked once).
fn wide_vectors() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        static WIDE: OnceLock<bool> = OnceLock::new();
        *WIDE.get_or_init(|| {
            std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512dq")
                && std::arch::is_x86_feature_detected!("avx512vl")
        })
    }
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// The signatures of many texts, computed in parallel (rayon); the result is in input order
/// and does not depend on the number of threads.
pub fn signatures(texts: &[&str], params: &Params) -> Vec<Signature> {
    texts.par_iter().map(|t| signature(t, params)).collect()
}

/// The distinct shingle hashes of a text, sorted: the set whose Jaccard similarity a signature
/// estimates. For diagnostics and evaluation (exact similarities), not needed to cluster.
pub fn shingle_hashes(text: &str, params: &Params) -> Vec<u64> {
    let mut out = Vec::new();
    for_each_shingle(&token_hashes(&[text]), shingle_size(params), |h| {
        out.push(h)
    });
    out.sort_unstable();
    out.dedup();
    out
}

/// The exact Jaccard similarity of two sorted, distinct hash lists (as [`shingle_hashes`]
/// returns); 0 when both are empty.
pub fn exact_jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str =
        "The central bank raised its main interest rate by half a point on Tuesday, \
        the third increase this year, saying inflation was still far above its target. \
        Officials said further rises could follow if prices kept climbing through the winter. \
        Markets had expected the move, and the currency barely changed after the announcement. \
        Economists warned that higher borrowing costs would weigh on households with large \
        mortgages and on small firms that depend on short-term credit lines.";

    fn sig(text: &str) -> Signature {
        signature(text, &Params::default())
    }

    fn estimate(a: &str, b: &str) -> f64 {
        sig(a).jaccard(&sig(b)).unwrap()
    }

    #[test]
    fn the_wide_path_equals_the_plain_one() {
        // The pinned values below go through whichever path this CPU takes; this holds the
        // other one to the same results.
        let (a, b) = coefficients();
        let (mut plain, mut wide) = (vec![BLANK; 200], vec![BLANK; 200]);
        let mut x = 7u64;
        for _ in 0..1000 {
            x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17) & 0xFFFF_FFFF;
            lower_mins(&mut plain, &a[..200], &b[..200], x);
            #[cfg(target_arch = "x86_64")]
            if wide_vectors() {
                // SAFETY: the CPU has the features (checked just above).
                unsafe { lower_mins_avx512(&mut wide, &a[..200], &b[..200], x) };
                continue;
            }
            lower_mins(&mut wide, &a[..200], &b[..200], x);
        }
        assert_eq!(plain, wide);
        assert!(plain.iter().all(|&m| m < BLANK));
    }

    #[test]
    fn values_are_pinned() {
        // These values are stored in users' databases: a change here needs a new
        // FORMAT_VERSION.
        let s = sig("The quick brown fox jumps over the lazy dog.");
        assert_eq!(s.permutations(), 128);
        assert_eq!(s.shingle(), 5);
        assert_eq!(
            &s.values()[..4],
            &[87595714, 55912190, 142991165, 111807774],
            "pinned values"
        );
    }

    #[test]
    fn estimated_similarity() {
        let one_sentence_changed = LONG.replace(
            "Markets had expected the move, and the currency barely changed after the announcement.",
            "Traders said the decision was fully priced in.",
        );
        let shorter: String = LONG.split(". ").take(3).collect::<Vec<_>>().join(". ");
        // (a, b, lowest, highest estimated Jaccard)
        let cases: &[(&str, &str, f64, f64)] = &[
            (LONG, LONG, 1.0, 1.0),
            (LONG, &LONG.to_uppercase(), 1.0, 1.0),
            (
                "Bişkek CAFÉ talks resume today",
                "biskek cafe talks resume today",
                1.0,
                1.0,
            ),
            (
                "  The   quick\nbrown fox!!",
                "the quick brown fox",
                1.0,
                1.0,
            ),
            ("Short headline", "Short headline", 1.0, 1.0),
            ("Short headline", "Short headlines", 0.0, 0.0),
            ("Short headline", LONG, 0.0, 0.0),
            (LONG, &one_sentence_changed, 0.45, 0.9),
            (LONG, &shorter, 0.4, 0.85),
            (
                LONG,
                "An entirely different story about football and the weather in spring.",
                0.0,
                0.05,
            ),
            ("", "", 0.0, 0.0),
            ("", LONG, 0.0, 0.0),
            ("…!?", "", 0.0, 0.0),
        ];
        for &(a, b, lo, hi) in cases {
            let j = estimate(a, b);
            assert!(lo <= j && j <= hi, "{j} for {a:?} ~ {b:?}");
            assert_eq!(j, estimate(b, a), "symmetric");
        }
    }

    #[test]
    fn estimates_follow_exact_similarity() {
        let p = Params::default();
        let words: Vec<&str> = LONG.split_whitespace().collect();
        for cut in [5, 10, 20, 30, 40] {
            let b = words[cut..].join(" ");
            let exact = exact_jaccard(&shingle_hashes(LONG, &p), &shingle_hashes(&b, &p));
            let est = estimate(LONG, &b);
            // Four standard errors of a 128-value estimate.
            let sigma = (exact * (1.0 - exact) / 128.0).sqrt();
            assert!(
                (est - exact).abs() <= 4.0 * sigma + 1e-9,
                "cut {cut}: estimated {est}, exact {exact}"
            );
        }
    }

    #[test]
    fn ascii_tokens_are_token_spans() {
        let long = LONG.to_lowercase();
        let cases = [
            "",
            " ",
            "a",
            "don't stop",
            "25,000 militants; 3.5% u.s. (daesh) e-mail",
            "snake_case and CamelCase9 x2y 2x a1.b2 1st",
            "tabs\tnew\nlines\r\n--dashes-- ...dots... 'quoted' \"double\"",
            "#hashtag @user http://example.com/path?q=1&r=2 user@mail.org",
            "$100m (£600m) 4.75% 9.5% 16 March 2005, 1:30pm",
            "\u{0}\u{1f}\u{7f}ctrl",
            &long,
        ];
        for text in cases {
            let mut fast = Vec::new();
            ascii_tokens(text, &mut |t| fast.push(t));
            let slow: Vec<&str> = token_spans(text).map(|t| t.text(text)).collect();
            assert_eq!(fast, slow, "{text:?}");
        }
        // Random ASCII strings, weighted towards letters, digits and punctuation.
        let alphabet = b"aaaaeeeiioouxyzAZ0123456789  \t\n.,;:'\"-_/@#$%&*()[]!?+=<>|~`^\\\x00\x7f";
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(state % 40) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push(alphabet[(state % alphabet.len() as u64) as usize] as char);
            }
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut fast = Vec::new();
            ascii_tokens(&text, &mut |t| fast.push(t));
            let slow: Vec<&str> = token_spans(&text).map(|t| t.text(&text)).collect();
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    #[test]
    fn blank_texts() {
        for text in ["", "   ", "\n\t", "!!! ... ---", "\u{200C}\u{0640}"] {
            assert!(sig(text).is_blank(), "{text:?}");
        }
        for text in ["a", "42", "北", "داعش"] {
            assert!(!sig(text).is_blank(), "{text:?}");
        }
    }

    #[test]
    fn odd_inputs_never_panic() {
        let long_word = "x".repeat(100_000);
        let many = "ab ".repeat(50_000);
        let inputs = [
            "\u{0}\u{1}\u{7f}",
            "\u{301}\u{301} \u{301}a",
            "\u{FEFF}BOM at start",
            "🇺🇦🏳️‍🌈 emoji 👍🏽 text",
            "北京大学 招生 カタカナ ひらがな 한국어",
            "می\u{200C}شود كَتَبَ ۱۳۹۴ \u{202B}rtl\u{202C}",
            "ﬁ ﬂ Ⅻ ① ＡＢＣ",
            "\u{D7FF}\u{E000}\u{10FFFF}",
            &long_word,
            &many,
        ];
        for text in inputs {
            for shingle in [1, 2, 5, 255] {
                let p = Params {
                    shingle,
                    ..Params::default()
                };
                let s = signature(text, &p);
                assert_eq!(s, Signature::from_bytes(&s.to_bytes()).unwrap());
            }
        }
        // Parameters out of range are clamped rather than panicking.
        for (shingle, permutations) in [(0, 0), (1000, 100_000), (usize::MAX, usize::MAX)] {
            let p = Params {
                shingle,
                permutations,
                ..Params::default()
            };
            let s = signature(LONG, &p);
            assert!((1..=MAX_PERMUTATIONS).contains(&s.permutations()));
        }
    }

    #[test]
    fn parts_are_joined_token_sequences() {
        let p = Params::default();
        let (title, body) = LONG.split_at(LONG.find("Officials").unwrap());
        assert_eq!(signature_parts(&[title, body], &p), sig(LONG));
        assert_eq!(
            signature_parts(&["Rates rise", "Officials said."], &p),
            sig("Rates rise\nOfficials said.")
        );
    }

    #[test]
    fn fewer_permutations_are_a_prefix() {
        let short = signature(
            LONG,
            &Params {
                permutations: 64,
                ..Params::default()
            },
        );
        assert_eq!(short.values(), &sig(LONG).values()[..64]);
    }

    /// The import hands over the search forms it made for the full-text index; the signature
    /// of those must be the signature of the text (mixed scripts and case included).
    #[test]
    fn signature_of_search_forms_equals_signature_of_text() {
        let title = "Россия вооружает Кыргызстан; Bişkek и ДАИШ";
        let body = format!("{LONG} Тегеран تهران رئيس كل Ёлка CAFÉ café 2024");
        let folded = [search_text(title), search_text(&body)];
        let p = Params::default();
        assert_eq!(
            signature_folded(&[&folded[0], &folded[1]], &p),
            signature_parts(&[title, &body], &p)
        );
        assert_ne!(
            signature_folded(&[title, &body], &p),
            signature_parts(&[title, &body], &p),
            "unfolded text must not pass for its search form"
        );
    }

    #[test]
    fn parallel_equals_serial() {
        let texts: Vec<String> = (0..50).map(|i| format!("{LONG} {i} {i}")).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let serial: Vec<Signature> = refs.iter().map(|t| sig(t)).collect();
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let par = pool.install(|| signatures(&refs, &Params::default()));
            assert_eq!(par, serial, "{threads} threads");
        }
    }

    #[test]
    fn bytes_round_trip_and_errors() {
        let s = sig(LONG);
        let bytes = s.to_bytes();
        assert_eq!(bytes.len(), 4 + 4 * 128);
        assert_eq!(&bytes[..4], b"MH\x01\x05");
        assert_eq!(Signature::from_bytes(&bytes).unwrap(), s);

        let mut other_version = bytes.clone();
        other_version[2] = 2;
        let mut zero_shingle = bytes.clone();
        zero_shingle[3] = 0;
        let too_many = [&bytes[..4], &vec![0u8; 4 * (MAX_PERMUTATIONS + 1)]].concat();
        let cases: [(&[u8], &str); 7] = [
            (b"", "header"),
            (b"XY\x01\x05\0\0\0\0", "header"),
            (&other_version, "version 2"),
            (&zero_shingle, "shingle size 0"),
            (b"MH\x01\x05", "multiple of 4"),
            (&bytes[..bytes.len() - 1], "multiple of 4"),
            (&too_many, "multiple of 4"),
        ];
        for (input, why) in cases {
            match Signature::from_bytes(input) {
                Err(DedupError::Bytes(msg)) => assert!(msg.contains(why), "{msg} vs {why}"),
                other => panic!("{input:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn incompatible_signatures_do_not_compare() {
        let a = sig(LONG);
        let b = signature(
            LONG,
            &Params {
                shingle: 3,
                ..Params::default()
            },
        );
        let c = signature(
            LONG,
            &Params {
                permutations: 64,
                ..Params::default()
            },
        );
        assert_eq!(a.jaccard(&b), None);
        assert_eq!(a.jaccard(&c), None);
        assert_ne!(a.fingerprint(), b.fingerprint());
    }

    #[test]
    fn exact_jaccard_cases() {
        let cases: &[(&[u64], &[u64], f64)] = &[
            (&[], &[], 0.0),
            (&[1], &[], 0.0),
            (&[1, 2, 3], &[1, 2, 3], 1.0),
            (&[1, 2, 3], &[2, 3, 4], 0.5),
            (&[1, 5], &[2, 6], 0.0),
        ];
        for &(a, b, want) in cases {
            assert_eq!(exact_jaccard(a, b), want, "{a:?} {b:?}");
        }
    }
}
