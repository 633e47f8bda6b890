//! A deterministic generator of news-like articles with planted near-duplicates (republications
//! with typical edits) and hard negatives (different articles on one topic sharing boilerplate
//! or background), for measuring clustering against a known truth.

use std::collections::HashSet;

use broadsheet_gen::Rng;

/// Common news words at the top of the Zipfian vocabulary; synthetic words follow.
const COMMON: &[&str] = &[
    "the",
    "of",
    "to",
    "and",
    "a",
    "in",
    "said",
    "that",
    "for",
    "on",
    "is",
    "was",
    "with",
    "he",
    "it",
    "as",
    "at",
    "by",
    "from",
    "his",
    "an",
    "be",
    "has",
    "have",
    "are",
    "but",
    "they",
    "not",
    "this",
    "who",
    "were",
    "had",
    "which",
    "after",
    "their",
    "been",
    "its",
    "will",
    "would",
    "more",
    "also",
    "than",
    "over",
    "year",
    "new",
    "government",
    "people",
    "two",
    "last",
    "told",
    "first",
    "one",
    "she",
    "police",
    "minister",
    "president",
    "officials",
    "week",
    "could",
    "about",
    "up",
    "into",
    "other",
    "when",
    "there",
    "out",
    "against",
    "some",
    "state",
    "country",
    "million",
    "percent",
    "years",
    "three",
    "before",
    "since",
    "city",
    "under",
    "while",
    "between",
];
const SYLLABLES: &[&str] = &[
    "ka", "ro", "mi", "ten", "sal", "vo", "ber", "lin", "da", "gor", "pe", "tas", "nu", "ri",
    "mon", "ze", "fa", "lek", "do", "vi", "sha", "an", "or", "el", "us", "ti", "bra", "kel", "mar",
    "no", "pra", "quin", "sto", "ul", "ya", "wen", "hod", "ix", "cre", "jor",
];
const FIRST_NAMES: &[&str] = &[
    "Anna", "Tom", "Maria", "David", "Leila", "Sergei", "Amir", "Grace", "Paul", "Nadia", "John",
    "Elena", "Omar", "Sarah", "Ivan", "Fatima",
];
const LAST_NAMES: &[&str] = &[
    "Smith", "Jones", "Petrova", "Karimi", "Brown", "Novak", "Haddad", "Walsh", "Ivanov", "Chen",
    "Garcia", "Okafor", "Rahimi", "Muller", "Sato", "Kowalski",
];
const OUTLETS: &[&str] = &[
    "Associated Press",
    "Reuters",
    "Agence France-Presse",
    "The Daily Courier",
    "Metro Herald",
    "Regional Times",
];

/// The kind of a generated document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An original article (some have planted copies).
    Base,
    /// A republication of a base article with edits.
    Copy,
    /// A new article on the same topic that reuses part of an earlier article's background.
    FollowUp,
    /// A short article on a topic made mostly of the topic's boilerplate.
    Brief,
}

#[derive(Debug, Clone)]
pub struct Doc {
    pub id: i64,
    pub text: String,
    /// The planted truth: documents with the same group are near-duplicates.
    pub group: usize,
    pub kind: Kind,
    pub published_at: Option<i64>,
    /// For copies: the share of the base's tokens added, removed or replaced.
    pub change: f64,
    /// For copies and follow-ups: the index (in `Corpus::docs`) of the source document.
    pub source: Option<usize>,
}

pub struct Corpus {
    pub docs: Vec<Doc>,
}

#[derive(Debug, Clone)]
struct Article {
    title: Vec<String>,
    paragraphs: Vec<Vec<Vec<String>>>,
    lead: Option<Vec<String>>,
    tail: Vec<Vec<String>>,
}

impl Article {
    fn tokens(&self) -> usize {
        self.title.len()
            + self.lead.as_ref().map_or(0, Vec::len)
            + self
                .paragraphs
                .iter()
                .flatten()
                .map(Vec::len)
                .sum::<usize>()
            + self.tail.iter().map(Vec::len).sum::<usize>()
    }

    fn sentence_count(&self) -> usize {
        self.paragraphs.iter().map(Vec::len).sum()
    }

    fn text(&self) -> String {
        let sentence = |words: &[String]| {
            let mut s = words.join(" ");
            if let Some(first) = s.get(..1) {
                let upper = first.to_uppercase();
                s.replace_range(..1, &upper);
            }
            s.push('.');
            s
        };
        let mut out = self.title.join(" ");
        if let Some(first) = out.get(..1) {
            let upper = first.to_uppercase();
            out.replace_range(..1, &upper);
        }
        out.push_str("\n\n");
        if let Some(lead) = &self.lead {
            out.push_str(&lead.join(" "));
            out.push_str("\n\n");
        }
        let paragraphs: Vec<String> = self
            .paragraphs
            .iter()
            .map(|p| p.iter().map(|s| sentence(s)).collect::<Vec<_>>().join(" "))
            .collect();
        out.push_str(&paragraphs.join("\n\n"));
        for t in &self.tail {
            out.push_str("\n\n");
            out.push_str(&sentence(t));
        }
        out
    }
}

struct Topic {
    words: Vec<usize>,
    boilerplate: Vec<Vec<String>>,
}

struct Gen {
    rng: Rng,
    vocab: Vec<String>,
    cumulative: Vec<f64>,
    topics: Vec<Topic>,
    outlet_boilerplate: Vec<Vec<String>>,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        let mut rng = Rng::new(seed);
        let mut vocab: Vec<String> = COMMON.iter().map(|w| w.to_string()).collect();
        let mut known: HashSet<String> = vocab.iter().cloned().collect();
        while vocab.len() < 30_000 {
            let n = rng.range(1, 4);
            let w: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
            if w.len() >= 3 && known.insert(w.clone()) {
                vocab.push(w);
            }
        }
        // Zipf's law with exponent 1.05.
        let mut total = 0.0;
        let cumulative = (0..vocab.len())
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(1.05);
                total
            })
            .collect();
        let mut g = Gen {
            rng,
            vocab,
            cumulative,
            topics: Vec::new(),
            outlet_boilerplate: Vec::new(),
        };
        for _ in 0..60 {
            let words = (0..40).map(|_| g.rng.range(300, 29_999) as usize).collect();
            g.topics.push(Topic {
                words,
                boilerplate: Vec::new(),
            });
        }
        for t in 0..g.topics.len() {
            let boilerplate = (0..8).map(|_| g.sentence(t, 14, 30)).collect();
            g.topics[t].boilerplate = boilerplate;
        }
        g.outlet_boilerplate = (0..10).map(|i| g.sentence(i, 8, 16)).collect();
        g
    }

    fn zipf_word(&mut self) -> String {
        let total = *self.cumulative.last().unwrap();
        let u = self.rng.unit() * total;
        let r = self.cumulative.partition_point(|&c| c < u);
        self.vocab[r.min(self.vocab.len() - 1)].clone()
    }

    fn word(&mut self, topic: usize) -> String {
        if self.rng.chance(0.15) {
            let w = *self.rng.pick(&self.topics[topic].words);
            self.vocab[w].clone()
        } else if self.rng.chance(0.03) {
            self.rng.range(2, 9_999).to_string()
        } else {
            self.zipf_word()
        }
    }

    fn sentence(&mut self, topic: usize, lo: u64, hi: u64) -> Vec<String> {
        // The mean of two uniform draws: lengths cluster in the middle of the range.
        let len = (self.rng.range(lo, hi) + self.rng.range(lo, hi)) / 2;
        (0..len).map(|_| self.word(topic)).collect()
    }

    fn name(&mut self) -> String {
        format!(
            "{} {}",
            self.rng.pick(FIRST_NAMES),
            self.rng.pick(LAST_NAMES)
        )
    }

    fn article(&mut self, topic: usize) -> Article {
        let title = self.sentence(topic, 6, 14);
        let sentences = self.rng.range(10, 30) as usize;
        let mut paragraphs = Vec::new();
        let mut left = sentences;
        while left > 0 {
            let n = (self.rng.range(1, 3) as usize).min(left);
            paragraphs.push((0..n).map(|_| self.sentence(topic, 10, 36)).collect());
            left -= n;
        }
        let mut tail = Vec::new();
        if self.rng.chance(0.5) {
            for _ in 0..self.rng.range(1, 2) {
                tail.push(self.rng.pick(&self.topics[topic].boilerplate).clone());
            }
        }
        if self.rng.chance(0.3) {
            tail.push(self.rng.pick(&self.outlet_boilerplate).clone());
        }
        Article {
            title,
            paragraphs,
            lead: None,
            tail,
        }
    }

    /// A republication: edits drawn until `budget` (a share of the base's tokens) is spent.
    fn copy_of(&mut self, base: &Article, topic: usize, budget: f64) -> (Article, f64) {
        let mut a = base.clone();
        let total = base.tokens() as f64;
        let budget = budget * total;
        let max_substitutions = (0.03 * total) as usize;
        let (mut spent, mut substitutions, mut reorders) = (0.0, 0, 0);
        let mut attempts = 0;
        while spent < budget && attempts < 50 {
            attempts += 1;
            let mut edited = a.clone();
            let cost = match self.rng.below(8) {
                0 => {
                    // A new headline.
                    let old = edited.title.len();
                    edited.title = self.sentence(topic, 6, 14);
                    old.max(edited.title.len())
                }
                1 => {
                    // A sentence added.
                    let s = self.sentence(topic, 10, 36);
                    let n = s.len();
                    let p = self.rng.below(edited.paragraphs.len() as u64) as usize;
                    let at = self.rng.below(edited.paragraphs[p].len() as u64 + 1) as usize;
                    edited.paragraphs[p].insert(at, s);
                    n
                }
                2 if edited.sentence_count() > 6 => {
                    // A sentence removed.
                    let p = self.rng.below(edited.paragraphs.len() as u64) as usize;
                    let at = self.rng.below(edited.paragraphs[p].len() as u64) as usize;
                    let n = edited.paragraphs[p].remove(at).len();
                    edited.paragraphs.retain(|p| !p.is_empty());
                    n
                }
                3 if substitutions < max_substitutions => {
                    // A few words substituted (house style, a corrected figure).
                    let k = self.rng.range(1, 3) as usize;
                    for _ in 0..k {
                        let p = self.rng.below(edited.paragraphs.len() as u64) as usize;
                        let s = self.rng.below(edited.paragraphs[p].len() as u64) as usize;
                        let sentence = &mut edited.paragraphs[p][s];
                        let w = self.rng.below(sentence.len() as u64) as usize;
                        let new = self.word(topic);
                        edited.paragraphs[p][s][w] = new;
                    }
                    substitutions += k;
                    k
                }
                4 if reorders < 2 && edited.paragraphs.len() > 2 => {
                    // A paragraph moved.
                    let from = self.rng.below(edited.paragraphs.len() as u64) as usize;
                    let p = edited.paragraphs.remove(from);
                    let to = self.rng.below(edited.paragraphs.len() as u64 + 1) as usize;
                    edited.paragraphs.insert(to, p);
                    reorders += 1;
                    2
                }
                5 if edited.lead.is_none() => {
                    // A byline.
                    let lead: Vec<String> = if self.rng.chance(0.5) {
                        format!("By {}, {}", self.name(), self.rng.pick(OUTLETS))
                    } else {
                        format!(
                            "{} ({}) —",
                            self.rng.pick(LAST_NAMES),
                            self.rng.pick(OUTLETS)
                        )
                    }
                    .split(' ')
                    .map(String::from)
                    .collect();
                    let n = lead.len();
                    edited.lead = Some(lead);
                    n
                }
                6 if edited.paragraphs.len() > 3 => {
                    // Cut from the bottom.
                    edited
                        .paragraphs
                        .pop()
                        .map_or(0, |p| p.iter().map(Vec::len).sum())
                }
                7 => {
                    // A credit line or the outlet's boilerplate.
                    let s: Vec<String> = if self.rng.chance(0.5) {
                        format!("Reporting by {}; editing by {}", self.name(), self.name())
                            .split(' ')
                            .map(String::from)
                            .collect()
                    } else {
                        self.rng.pick(&self.outlet_boilerplate).clone()
                    };
                    let n = s.len();
                    edited.tail.push(s);
                    n
                }
                _ => continue,
            } as f64;
            if spent > 0.0 && spent + cost > 1.25 * budget {
                continue;
            }
            spent += cost;
            a = edited;
        }
        (a, spent / total)
    }

    /// A new article reusing `keep` of a source article's sentences as background.
    fn follow_up(&mut self, source: &Article, topic: usize, keep: f64) -> Article {
        let mut a = self.article(topic);
        let background: Vec<Vec<String>> = source
            .paragraphs
            .iter()
            .filter(|_| self.rng.chance(keep))
            .flatten()
            .cloned()
            .collect();
        // At least 40% of the follow-up is new: it is another article, not an update.
        let fresh = a
            .sentence_count()
            .saturating_sub(background.len())
            .max((background.len() * 2).div_ceil(3))
            .max(2);
        let mut paragraphs: Vec<Vec<Vec<String>>> = Vec::new();
        let mut sentences: Vec<Vec<String>> =
            (0..fresh).map(|_| self.sentence(topic, 10, 36)).collect();
        sentences.extend(background);
        for chunk in sentences.chunks(3) {
            paragraphs.push(chunk.to_vec());
        }
        a.paragraphs = paragraphs;
        a
    }

    /// A short article: a couple of fresh sentences around the topic's boilerplate.
    fn brief(&mut self, topic: usize) -> Article {
        let mut a = self.article(topic);
        let mut sentences: Vec<Vec<String>> = (0..self.rng.range(1, 3))
            .map(|_| self.sentence(topic, 10, 30))
            .collect();
        for _ in 0..self.rng.range(2, 3) {
            sentences.push(self.rng.pick(&self.topics[topic].boilerplate).clone());
        }
        a.paragraphs = sentences.chunks(2).map(<[_]>::to_vec).collect();
        a.tail.clear();
        a
    }
}

/// How a corpus is made.
pub struct Spec {
    pub seed: u64,
    pub bases: usize,
    /// The share of base articles that get 1–5 copies.
    pub copied: f64,
    pub follow_ups: usize,
    pub briefs: usize,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            seed: 20_240_601,
            bases: 2_500,
            copied: 0.35,
            follow_ups: 300,
            briefs: 300,
        }
    }
}

/// Generates the corpus: ids are a deterministic shuffle, so copies are not next to their
/// originals; copies are dated after their original or undated.
pub fn generate(spec: &Spec) -> Corpus {
    let mut g = Gen::new(spec.seed);
    let day = 86_400;
    let mut docs: Vec<Doc> = Vec::new();
    let mut group = 0;
    let mut bases: Vec<(Article, usize, usize)> = Vec::new(); // (article, topic, doc index)
    for _ in 0..spec.bases {
        let topic = g.rng.below(g.topics.len() as u64) as usize;
        let a = g.article(topic);
        let date = 1_600_000_000 + g.rng.below(365) as i64 * day;
        docs.push(Doc {
            id: 0,
            text: a.text(),
            group,
            kind: Kind::Base,
            published_at: Some(date),
            change: 0.0,
            source: None,
        });
        let base_index = docs.len() - 1;
        if g.rng.chance(spec.copied) {
            let copies = g.rng.range(1, 5);
            let mut versions = vec![a.clone()];
            for _ in 0..copies {
                let (text, change) = if g.rng.chance(0.1) {
                    // Saved twice by a scraper, perhaps with different whitespace or case.
                    let t = a.text();
                    let t = if g.rng.chance(0.5) {
                        t.replace("\n\n", "\n")
                    } else {
                        t
                    };
                    (t, 0.0)
                } else {
                    // Some republications are of a republication.
                    let from = if g.rng.chance(0.2) {
                        g.rng.below(versions.len() as u64) as usize
                    } else {
                        0
                    };
                    let source = versions[from].clone();
                    let budget = 0.05 + 0.15 * g.rng.unit();
                    let (c, change) = g.copy_of(&source, topic, budget);
                    let text = c.text();
                    versions.push(c);
                    (text, change)
                };
                let published_at = if g.rng.chance(0.1) {
                    None
                } else {
                    Some(date + g.rng.range(1, 3 * day as u64) as i64)
                };
                docs.push(Doc {
                    id: 0,
                    text,
                    group,
                    kind: Kind::Copy,
                    published_at,
                    change,
                    source: Some(base_index),
                });
            }
        }
        bases.push((a, topic, base_index));
        group += 1;
    }
    for _ in 0..spec.follow_ups {
        let (source, topic, index) = bases[g.rng.below(bases.len() as u64) as usize].clone();
        let keep = 0.3 + 0.35 * g.rng.unit();
        let a = g.follow_up(&source, topic, keep);
        docs.push(Doc {
            id: 0,
            text: a.text(),
            group,
            kind: Kind::FollowUp,
            published_at: docs[index].published_at.map(|d| d + day),
            change: 0.0,
            source: Some(index),
        });
        group += 1;
    }
    for _ in 0..spec.briefs {
        // Briefs crowd into a few topics, so that many share boilerplate.
        let topic = g.rng.below(6) as usize;
        let a = g.brief(topic);
        docs.push(Doc {
            id: 0,
            text: a.text(),
            group,
            kind: Kind::Brief,
            published_at: Some(1_600_000_000 + g.rng.below(365) as i64 * day),
            change: 0.0,
            source: None,
        });
        group += 1;
    }
    // Ids: a Fisher–Yates shuffle of 1..=n.
    let mut ids: Vec<i64> = (1..=docs.len() as i64).collect();
    for i in (1..ids.len()).rev() {
        let j = g.rng.below(i as u64 + 1) as usize;
        ids.swap(i, j);
    }
    for (d, id) in docs.iter_mut().zip(ids) {
        d.id = id;
    }
    Corpus { docs }
}

/// Pairwise scores of a clustering against the planted groups.
#[derive(Debug, Clone, Copy)]
pub struct Scores {
    pub predicted_pairs: u64,
    pub true_pairs: u64,
    pub correct_pairs: u64,
}

impl Scores {
    pub fn precision(&self) -> f64 {
        if self.predicted_pairs == 0 {
            1.0
        } else {
            self.correct_pairs as f64 / self.predicted_pairs as f64
        }
    }

    pub fn recall(&self) -> f64 {
        if self.true_pairs == 0 {
            1.0
        } else {
            self.correct_pairs as f64 / self.true_pairs as f64
        }
    }
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Scores predicted clusters (lists of member ids) against the docs' groups.
pub fn score(docs: &[Doc], clusters: &[Vec<i64>]) -> Scores {
    let mut group_of: Vec<(i64, usize)> = docs.iter().map(|d| (d.id, d.group)).collect();
    group_of.sort_unstable();
    let group = |id: i64| group_of[group_of.binary_search_by_key(&id, |g| g.0).unwrap()].1;
    let mut sizes = vec![0u64; docs.iter().map(|d| d.group + 1).max().unwrap_or(0)];
    for d in docs {
        sizes[d.group] += 1;
    }
    let true_pairs = sizes.iter().map(|&s| pairs(s)).sum();
    let (mut predicted_pairs, mut correct_pairs) = (0, 0);
    for members in clusters {
        predicted_pairs += pairs(members.len() as u64);
        let mut groups: Vec<usize> = members.iter().map(|&id| group(id)).collect();
        groups.sort_unstable();
        for run in groups.chunk_by(|a, b| a == b) {
            correct_pairs += pairs(run.len() as u64);
        }
    }
    Scores {
        predicted_pairs,
        true_pairs,
        correct_pairs,
    }
}
