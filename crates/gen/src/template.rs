//! The template machinery the generated corpora share: slots filled into sentence templates,
//! a grammar of one-sentence details (who said what), and the assembly of a headline, lead,
//! body paragraphs and closing line from a topic's templates.

use crate::rng::Rng;

/// A topic's templates in one language: headlines, each with the lead sentence that opens its
/// story, and a pool of body sentences.
pub(crate) struct Kind {
    pub(crate) titles: &'static [(&'static str, &'static str)],
    pub(crate) sentences: &'static [&'static str],
}

/// One sentence of circumstantial detail from a grammar with many slots, so that stories built
/// from the same templates still differ like real ones: a claim (its `{time}` and `{goods}`
/// drawn from their lists), then one word from each of `parts`, put into `pattern` at `{0}`,
/// `{1}`, … and the claim at `{claim}`.
pub(crate) struct Details {
    pub(crate) claims: &'static [&'static str],
    pub(crate) times: &'static [&'static str],
    pub(crate) goods: &'static [&'static str],
    pub(crate) parts: &'static [&'static [&'static str]],
    pub(crate) pattern: &'static str,
}

impl Details {
    pub(crate) fn sentence(&self, rng: &mut Rng, s: &Slots) -> String {
        let claim = rng
            .pick::<&str>(self.claims)
            .replace("{time}", rng.pick::<&str>(self.times))
            .replace("{goods}", rng.pick::<&str>(self.goods));
        let mut out = self.pattern.to_string();
        for (i, words) in self.parts.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), rng.pick::<&str>(words));
        }
        out.replace("{claim}", &s.fill(&claim))
    }
}

/// How long a story is: body sentences drawn from the pool and detail sentences added.
pub(crate) struct Shape {
    pub(crate) sentences: (u64, u64),
    pub(crate) details: (u64, u64),
}

/// Title and paragraphs of one story of `kind`: a headline with its lead, a random selection of
/// distinct body sentences in pool order (grouped into paragraphs), details at random places
/// after the lead, and a closing line.
pub(crate) fn article(
    rng: &mut Rng,
    s: &Slots,
    kind: &Kind,
    details: &Details,
    closers: &[&str],
    shape: &Shape,
) -> (String, Vec<String>) {
    let (title_t, lead_t) = *rng.pick(kind.titles);
    let title = s.fill(title_t);
    let lead = s.fill(lead_t);
    let pool = kind.sentences;
    let hi = pool.len().min(8) as u64;
    let count = rng.range(hi.min(shape.sentences.0), hi.min(shape.sentences.1)) as usize;
    let mut chosen: Vec<usize> = (0..pool.len()).collect();
    for i in (1..chosen.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        chosen.swap(i, j);
    }
    chosen.truncate(count);
    chosen.sort_unstable();
    let mut paras: Vec<String> = vec![lead.clone()];
    let mut cur = String::new();
    for i in chosen {
        let sentence = s.fill(pool[i]);
        if sentence == lead {
            continue;
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(&sentence);
        if rng.chance(0.55) {
            paras.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    for _ in 0..rng.range(shape.details.0, shape.details.1) {
        let d = details.sentence(rng, s);
        let at = 1 + rng.below(paras.len() as u64) as usize;
        paras.insert(at.min(paras.len()), d);
    }
    paras.push(s.fill(rng.pick::<&str>(closers)));
    (title, paras)
}

/// Writes every whole number among the space-separated words of `t` in Persian digits.
pub(crate) fn with_persian_digits(t: &str) -> String {
    t.split(' ')
        .map(|w| match w.parse::<u64>() {
            Ok(n) => persian_digits(n),
            Err(_) => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Slot values for one article.
pub(crate) struct Slots {
    pub(crate) vals: Vec<(&'static str, String)>,
}

impl Slots {
    pub(crate) fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let Some(j) = rest[i..].find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let key = &rest[i + 1..i + j];
            match self.vals.iter().find(|(k, _)| *k == key) {
                Some((_, v)) => out.push_str(v),
                None => out.push_str(&rest[i..=i + j]),
            }
            rest = &rest[i + j + 1..];
        }
        out.push_str(rest);
        out
    }
}

pub(crate) fn persian_digits(n: u64) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + 0x06F0).unwrap_or(c))
        .collect()
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub(crate) fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').chars().take(60).collect()
}

pub(crate) const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_fill_and_leave_unknown_keys() {
        let s = Slots {
            vals: vec![("a", "x".into())],
        };
        assert_eq!(s.fill("{a} and {b} {"), "x and {b} {");
    }
}
