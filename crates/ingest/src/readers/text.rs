//! Plain-text articles, one per file: the title is the first non-empty line — unless that line
//! is the whole text or too long to be a title, when the title comes from the file name (see
//! [`TitleRule`]); a breadcrumb line before it (`News / Russia`) becomes the section; photo
//! captions (`… (© AFP)`) and a site footer (`SHARE THIS ARTICLE`, alternate addresses) leave
//! the body and are kept as extra fields. Dates are never guessed from the text here. Control
//! characters (backspace overstrike, form feeds) are resolved or removed first, with a
//! `control-characters` warning.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{FileCtx, Flow, ReadError, Sink};
use crate::record::{RawRecord, RecordPos, Severity};

static BREADCRUMB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\p{L}[\p{L}\p{N}&'.\- ]{0,30}(?:\s+[/›»>|]\s+\p{L}[\p{L}\p{N}&'.\- ]{0,30}){1,4}$",
    )
    .expect("valid regex")
});
static BREADCRUMB_SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+([/›»>|])\s+").expect("valid regex"));
static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\((?:©|\(c\)|photo|image|file photo|credit|pictured)[^()]{0,80}\)|\[(?:©|photo|image)[^\[\]]{0,80}\])\s*$")
        .expect("valid regex")
});
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:share this article|share this story|can also be accessed at|.{0,60}can also be accessed at the following|follow us on|all rights reserved|copyright\s*(?:©|\(c\))|©\s*\d{4}|related (?:articles|stories|news)\s*:?$|read more\s*:|subscribe to|sign up for our|download our app|tags\s*:)")
        .expect("valid regex")
});

/// Where a text file's title comes from (a recipe's `title` key).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TitleRule {
    /// The first line, unless it is the whole text or longer than [`MAX_TITLE_CHARS`]: then
    /// the file name, as words (`kabul-blast-kills-12.txt` → `kabul blast kills 12`), or no
    /// title when the name is only a number.
    #[default]
    Auto,
    /// Always the first line.
    FirstLine,
    /// Always the file name, as words; the whole text is the body.
    Filename,
    /// No title; the whole text is the body.
    None,
}

/// A first line longer than this is a paragraph, not a title.
pub const MAX_TITLE_CHARS: usize = 200;

/// The parts of a plain-text article.
#[derive(Debug, Default, PartialEq)]
pub struct TextLayout {
    pub section: Option<String>,
    pub title: Option<String>,
    pub body: String,
    pub captions: Vec<String>,
    pub footer: Option<String>,
}

/// Splits a decoded text file into section, title, body, captions and footer.
pub fn layout(text: &str) -> TextLayout {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    // Paragraphs: runs of non-blank lines.
    let mut paras: Vec<String> = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                paras.push(cur.join("\n"));
                cur.clear();
            }
        } else {
            cur.push(line.trim_end());
        }
    }
    if !cur.is_empty() {
        paras.push(cur.join("\n"));
    }
    let mut out = TextLayout::default();
    let Some(first) = paras.first() else {
        return out;
    };
    // The first line, and what follows it in its paragraph and after.
    let mut lines0 = first.lines();
    let line0 = lines0.next().unwrap_or("").trim().to_string();
    let rest0: Vec<&str> = lines0.collect();
    // The line after the first: in the same paragraph, or starting the next one.
    let (line1, rest1, next_para) = if let Some((l1, r)) = rest0.split_first() {
        (Some(l1.trim().to_string()), r.join("\n"), 1)
    } else if let Some(p1) = paras.get(1) {
        let mut ls = p1.lines();
        let l1 = ls.next().map(|l| l.trim().to_string());
        (l1, ls.collect::<Vec<_>>().join("\n"), 2)
    } else {
        (None, String::new(), 1)
    };
    let mut body_paras: Vec<String> = Vec::new();
    if line1.is_some() && BREADCRUMB.is_match(&line0) {
        out.section = Some(BREADCRUMB_SEP.replace_all(&line0, " $1 ").into_owned());
        out.title = line1;
        if !rest1.is_empty() {
            body_paras.push(rest1);
        }
        body_paras.extend(paras.iter().skip(next_para).cloned());
    } else {
        out.title = Some(line0);
        if !rest0.is_empty() {
            body_paras.push(rest0.join("\n"));
        }
        body_paras.extend(paras.iter().skip(1).cloned());
    }

    // Footer: the first footer marker among the last paragraphs cuts the body there.
    let n = body_paras.len();
    let window = n.saturating_sub(6.max(n / 4));
    if let Some(cut) = (window..n).find(|i| FOOTER.is_match(body_paras[*i].trim())) {
        out.footer = Some(body_paras[cut..].join("\n\n"));
        body_paras.truncate(cut);
    }
    let mut kept = Vec::with_capacity(body_paras.len());
    for p in body_paras {
        if p.chars().count() < 600 && CAPTION.is_match(p.trim()) {
            out.captions.push(p.trim().to_string());
        } else {
            kept.push(p);
        }
    }
    out.body = kept.join("\n\n");
    out
}

/// The title a file name gives: its stem with separators as spaces, leading numbers (dates,
/// ids) left out; `None` when nothing is left.
pub fn title_from_file_name(name: &str) -> Option<String> {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = match stem.rsplit_once('.') {
        Some((s, ext)) if !s.is_empty() && ext.len() <= 5 => s,
        _ => stem,
    };
    let words: Vec<&str> = stem
        .split(['-', '_', ' ', '.', '+'])
        .filter(|w| !w.is_empty())
        .skip_while(|w| w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Applies the title rule: whether the layout's first line stays the title, or joins the
/// body and the title comes from the file name.
fn apply_title_rule(mut l: TextLayout, rule: TitleRule, file_name: &str) -> TextLayout {
    let line_is_text = match rule {
        TitleRule::FirstLine => false,
        TitleRule::Filename | TitleRule::None => true,
        TitleRule::Auto => l
            .title
            .as_ref()
            .is_some_and(|t| l.body.trim().is_empty() || t.chars().count() > MAX_TITLE_CHARS),
    };
    if !line_is_text {
        return l;
    }
    if let Some(t) = l.title.take() {
        l.body = if l.body.is_empty() {
            t
        } else {
            format!("{t}\n\n{}", l.body)
        };
    }
    if rule != TitleRule::None {
        l.title = title_from_file_name(file_name);
    }
    l
}

/// Reads one text file (already decoded) as one article.
pub fn read(
    text: &str,
    ctx: &FileCtx,
    rule: TitleRule,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let (text, controls) = crate::controls::clean_controls(text);
    if let Some(msg) = controls.describe() {
        sink.diagnostic(ctx.diag(
            Severity::Warning,
            "control-characters",
            RecordPos::File,
            msg,
        ));
    }
    let l = apply_title_rule(layout(&text), rule, &ctx.file_name);
    if l.title.is_none() && l.body.trim().is_empty() {
        sink.diagnostic(ctx.diag(
            Severity::Error,
            "empty",
            RecordPos::File,
            "the file has no text",
        ));
        return Ok(());
    }
    let mut rec = RawRecord {
        title: l.title,
        body: Some(l.body),
        section: l.section.or_else(|| ctx.folder.clone()),
        folder: ctx.folder.clone(),
        ..RawRecord::default()
    };
    if !l.captions.is_empty() {
        rec.extra.insert(
            "captions".into(),
            Value::Array(l.captions.into_iter().map(Value::String).collect()),
        );
    }
    if let Some(f) = l.footer {
        rec.extra.insert("footer".into(), Value::String(f));
    }
    if let Some(folder) = &ctx.folder {
        rec.extra
            .insert("folder".into(), Value::String(folder.clone()));
    }
    rec.extra
        .insert("file".into(), Value::String(ctx.file_name.clone()));
    let _: Flow = sink.record(rec, ctx.at(RecordPos::File));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presstv_layout() {
        let text = "News   /   Russia\n\nMoscow re-equips Bishkek to counter Daesh\n\n\
            Members of a Kyrgyz special police force march in Bishkek. (© AFP)\n\n\
            Russian Defense Minister Sergei Shoigu says Moscow is re-equipping.\n\n\
            Shoigu said on Wednesday that the situation was deteriorating.\n\n\
            The picture taken on December 1, 2015, shows Afghan security forces. (© AFP)\n\n\
            The conflict has claimed many lives.\n\n\n\
            Press TV’s website can also be accessed at the following alternate addresses:\n\n\
            www.presstv.co.uk\n\nSHARE THIS ARTICLE\nPress TV News Roku";
        let l = layout(text);
        assert_eq!(l.section.as_deref(), Some("News / Russia"));
        assert_eq!(
            l.title.as_deref(),
            Some("Moscow re-equips Bishkek to counter Daesh")
        );
        assert_eq!(
            l.body,
            "Russian Defense Minister Sergei Shoigu says Moscow is re-equipping.\n\n\
             Shoigu said on Wednesday that the situation was deteriorating.\n\n\
             The conflict has claimed many lives."
        );
        assert_eq!(l.captions.len(), 2);
        assert!(l.footer.unwrap().ends_with("Press TV News Roku"));
    }

    #[test]
    fn bbc_layout() {
        let l = layout("Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant TimeWarner jumped 76%.\n\nThe firm said so.\n");
        assert_eq!(l.section, None);
        assert_eq!(
            l.title.as_deref(),
            Some("Ad sales boost Time Warner profit")
        );
        assert_eq!(
            l.body,
            "Quarterly profits at US media giant TimeWarner jumped 76%.\n\nThe firm said so."
        );
        assert!(l.captions.is_empty() && l.footer.is_none());
    }

    #[test]
    fn a_slash_in_a_title_is_not_a_breadcrumb() {
        let l = layout("Yes/No vote splits parliament\n\nBody text.");
        assert_eq!(l.section, None);
        assert_eq!(l.title.as_deref(), Some("Yes/No vote splits parliament"));
        let l = layout("Kyrgyz election: a long headline that reads / like a sentence with many words in it\nBody");
        assert_eq!(l.section, None);
    }

    #[test]
    fn title_and_body_without_blank_line() {
        let l = layout("Title line\nfirst body line\nsecond body line\n\nnext para");
        assert_eq!(l.title.as_deref(), Some("Title line"));
        assert_eq!(l.body, "first body line\nsecond body line\n\nnext para");
    }

    #[test]
    fn one_line_file_is_a_body_not_a_title() {
        let text =
            "Kyrgyz border guards said on Monday that two soldiers were wounded in a shootout.";
        let l = apply_title_rule(
            layout(text),
            TitleRule::Auto,
            "2021-04-12-kyrgyz-border-shootout.txt",
        );
        assert_eq!(l.title.as_deref(), Some("kyrgyz border shootout"));
        assert_eq!(l.body, text);
        // A number is no title.
        let l = apply_title_rule(layout(text), TitleRule::Auto, "49960");
        assert_eq!((l.title, l.body.as_str()), (None, text));
    }

    #[test]
    fn a_paragraph_long_first_line_is_a_body_not_a_title() {
        let first = "word ".repeat(60);
        let text = format!("{first}\n\nSecond paragraph.");
        let l = apply_title_rule(layout(&text), TitleRule::Auto, "story.txt");
        assert_eq!(l.title.as_deref(), Some("story"));
        assert_eq!(l.body, format!("{}\n\nSecond paragraph.", first.trim_end()));
        // A headline stays the title.
        let l = apply_title_rule(layout("Headline\n\nBody."), TitleRule::Auto, "story.txt");
        assert_eq!(
            (l.title.as_deref(), l.body.as_str()),
            (Some("Headline"), "Body.")
        );
    }

    #[test]
    fn recipe_title_rules() {
        let text = "Headline\n\nBody.";
        let rule = |r| apply_title_rule(layout(text), r, "my_story.txt");
        let l = rule(TitleRule::Filename);
        assert_eq!(
            (l.title.as_deref(), l.body.as_str()),
            (Some("my story"), "Headline\n\nBody.")
        );
        let l = rule(TitleRule::None);
        assert_eq!((l.title, l.body.as_str()), (None, "Headline\n\nBody."));
        let one = apply_title_rule(layout("Only line"), TitleRule::FirstLine, "x.txt");
        assert_eq!(
            (one.title.as_deref(), one.body.as_str()),
            (Some("Only line"), "")
        );
    }

    #[test]
    fn copyright_in_the_middle_is_not_a_footer() {
        let mut paras: Vec<String> = (0..20).map(|i| format!("Paragraph {i}.")).collect();
        paras[2] = "Copyright (c) laws were debated.".into();
        let text = format!("T\n\n{}", paras.join("\n\n"));
        let l = layout(&text);
        assert!(l.footer.is_none());
        assert!(l.body.contains("Copyright (c) laws"));
    }
}
