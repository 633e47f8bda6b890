//! Mail and Usenet messages through the whole input path: formats decided by extension and by
//! content (`.txt` Usenet posts read as mail, ordinary `.txt` articles left as text), folders in
//! the 20 Newsgroups layout, zip and gzip archives, and text with control characters read as
//! text with a diagnostic rather than rejected as binary. Fixtures in `tests/fixtures/mail/`.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use broadsheet_ingest::{
    discover, read_file, Diagnostic, Flow, Format, Locator, RawRecord, ReadOptions, Recipe,
    RecordPos, Sink,
};

#[derive(Default)]
struct Collect {
    records: Vec<(RawRecord, Locator)>,
    diagnostics: Vec<Diagnostic>,
}

impl Sink for Collect {
    fn record(&mut self, record: RawRecord, at: Locator) -> Flow {
        self.records.push((record, at));
        Flow::Continue
    }
    fn diagnostic(&mut self, d: Diagnostic) -> Flow {
        self.diagnostics.push(d);
        Flow::Continue
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).unwrap()
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail")
}

/// Reads every file under `paths`; returns each file's display name and format, and the sink.
fn import(paths: &[PathBuf], format: Option<Format>) -> (Vec<(String, String)>, Collect) {
    let (files, _) = discover(paths, format, &[]).unwrap();
    let progress = Arc::new(AtomicU64::new(0));
    let mut sink = Collect::default();
    let mut formats = Vec::new();
    for f in &files {
        let info = read_file(f, format, &ReadOptions::default(), &progress, &mut sink).unwrap();
        formats.push((f.display.clone(), info.format));
    }
    (formats, sink)
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

const KYRGYZ_ARTICLE: &str =
    "Kyrgyzstan: unrest in the south\n\nClashes broke out in Osh on Thursday, officials said.\n";
const PRESSTV_ARTICLE: &str = "News   /   Russia\n\nMoscow re-equips Bishkek to counter Daesh\n\n\
    Members of a Kyrgyz special police force march in Bishkek. (© AFP)\n\n\
    Russian Defense Minister Sergei Shoigu says Moscow is re-equipping.\n\n\
    SHARE THIS ARTICLE\nPress TV News Roku";
const BBC_ARTICLE: &str = "Ad sales boost Time Warner profit\n\n\
    Quarterly profits at US media giant TimeWarner jumped 76%.\n\nThe firm said so.\n";

#[test]
fn mail_format_names_and_extensions() {
    assert_eq!(Format::Mail.name(), "mail");
    for s in ["mail", "eml", "mbox", "news", "MAIL"] {
        assert_eq!(s.parse::<Format>(), Ok(Format::Mail), "{s}");
    }
    for (name, f) in [
        ("a.eml", Some(Format::Mail)),
        ("inbox.mbox", Some(Format::Mail)),
        ("Archive.MBX", Some(Format::Mail)),
        ("outlook.msg", None),
        ("49960", None),
    ] {
        assert_eq!(Format::by_extension(name), f, "{name}");
    }
    let recipe = Recipe::from_toml("format = \"mail\"\nsource = \"Usenet\"\n").unwrap();
    assert_eq!(recipe.format, Some(Format::Mail));
}

#[test]
fn content_sniffing_tells_messages_from_articles() {
    for f in [
        "news/sci.space/61001",
        "news/talk.politics.misc/178001",
        "three.mbox",
        "letter.eml",
    ] {
        assert_eq!(Format::sniff(&fixture(f)), Some(Format::Mail), "{f}");
    }
    for text in [KYRGYZ_ARTICLE, PRESSTV_ARTICLE, BBC_ARTICLE] {
        assert_eq!(
            Format::sniff(text.as_bytes()),
            Some(Format::Text),
            "{text:?}"
        );
    }
}

/// A folder of Usenet posts saved as `.txt` (and without extension, as 20 Newsgroups has them)
/// is read as mail; an ordinary `.txt` article beside them stays text, its colon title included.
#[test]
fn txt_usenet_posts_are_mail_and_txt_articles_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    write(&root, "sci.space/61001", &fixture("news/sci.space/61001"));
    write(
        &root,
        "talk.politics.misc/178001.txt",
        &fixture("news/talk.politics.misc/178001"),
    );
    write(&root, "articles/kg.txt", KYRGYZ_ARTICLE.as_bytes());
    write(&root, "articles/presstv.txt", PRESSTV_ARTICLE.as_bytes());
    write(&root, "articles/bbc.txt", BBC_ARTICLE.as_bytes());
    let (formats, sink) = import(std::slice::from_ref(&root), None);
    let formats: Vec<_> = formats
        .iter()
        .map(|(f, k)| (f.as_str(), k.as_str()))
        .collect();
    assert_eq!(
        formats,
        [
            ("corpus/articles/bbc.txt", "text"),
            ("corpus/articles/kg.txt", "text"),
            ("corpus/articles/presstv.txt", "text"),
            ("corpus/sci.space/61001", "mail"),
            ("corpus/talk.politics.misc/178001.txt", "mail"),
        ]
    );
    let got: Vec<_> = sink
        .records
        .iter()
        .map(|(r, _)| (r.title.clone().unwrap(), r.section.clone()))
        .collect();
    assert_eq!(got[1].0, "Kyrgyzstan: unrest in the south");
    assert_eq!(
        got[3],
        (
            "Re: Launch windows for the lunar probe".to_string(),
            Some("sci.space".to_string())
        )
    );
    assert_eq!(
        got[4],
        (
            "Elections in the region".to_string(),
            Some("talk.politics.misc".to_string())
        )
    );
    // `--format text` is obeyed for a .txt post; `--format mail` reads .txt files as mail.
    let (formats, _) = import(&[root.join("talk.politics.misc")], Some(Format::Text));
    assert_eq!(formats[0].1, "text");
    let (formats, sink) = import(&[root.join("talk.politics.misc")], Some(Format::Mail));
    assert_eq!(formats[0].1, "mail");
    assert_eq!(
        sink.records[0].0.title.as_deref(),
        Some("Elections in the region")
    );
}

#[test]
fn mail_inside_zip_and_gzip_archives() {
    let dir = tempfile::tempdir().unwrap();
    let zpath = dir.path().join("usenet.zip");
    {
        let mut z = zip::ZipWriter::new(File::create(&zpath).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("sci.space/61001", o).unwrap();
        z.write_all(&fixture("news/sci.space/61001")).unwrap();
        z.start_file("letters/letter.eml", o).unwrap();
        z.write_all(&fixture("letter.eml")).unwrap();
        z.finish().unwrap();
    }
    let gz = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        let mut g = flate2::write::GzEncoder::new(
            File::create(&p).unwrap(),
            flate2::Compression::default(),
        );
        g.write_all(bytes).unwrap();
        g.finish().unwrap();
        p
    };
    let mbox = gz("three.mbox.gz", &fixture("three.mbox"));
    let post = gz("post.txt.gz", &fixture("news/talk.politics.misc/178001"));
    let (formats, sink) = import(&[zpath, mbox, post], None);
    let kinds: Vec<_> = formats.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(kinds, ["zip", "gzip", "gzip"]);
    let got: Vec<_> = sink
        .records
        .iter()
        .map(|(r, at)| (at.to_string(), r.title.clone().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "usenet.zip!/sci.space/61001".to_string(),
                "Re: Launch windows for the lunar probe".to_string()
            ),
            (
                "usenet.zip!/letters/letter.eml".to_string(),
                "Кыргызстан: выборы and the press".to_string()
            ),
            (
                "three.mbox.gz: record 1".to_string(),
                "Café prices in Zürich".to_string()
            ),
            (
                "three.mbox.gz: record 2".to_string(),
                "Выборы в Бишкеке".to_string()
            ),
            (
                "three.mbox.gz: record 3".to_string(),
                "Weekly digest".to_string()
            ),
            (
                "post.txt.gz".to_string(),
                "Elections in the region".to_string()
            ),
        ]
    );
    assert_eq!(sink.records[0].0.section.as_deref(), Some("sci.space"));
    // The overstrike of the zipped post is reported against its member.
    let codes: Vec<_> = sink
        .diagnostics
        .iter()
        .map(|d| (d.locator.to_string(), d.code))
        .collect();
    assert_eq!(
        codes,
        [(
            "usenet.zip!/sci.space/61001".to_string(),
            "control-characters"
        )]
    );
}

/// Regression: two Usenet posts with backspace overstrike were rejected as binary
/// ("unknown-format"). Text with overstrike and form feeds is text; its controls are removed
/// with a diagnostic naming the file.
#[test]
fn overstrike_text_is_text_not_binary() {
    let mut text = String::from("Notes on the launch\n\n");
    for _ in 0..40 {
        text.push_str(
            "_\u{8}I_\u{8}m_\u{8}p_\u{8}o_\u{8}r_\u{8}t_\u{8}a_\u{8}n_\u{8}t: read this.\n",
        );
    }
    text.push_str("\u{c}\nLast page.\n");
    assert_eq!(Format::sniff(text.as_bytes()), Some(Format::Text));
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes", text.as_bytes());
    let (formats, sink) = import(&[dir.path().join("notes")], None);
    assert_eq!(formats[0].1, "text");
    let (r, at) = &sink.records[0];
    assert_eq!(at.pos, RecordPos::File);
    assert_eq!(r.title.as_deref(), Some("Notes on the launch"));
    let body = r.body.as_deref().unwrap();
    assert!(
        body.starts_with("Important: read this.\nImportant"),
        "{body:?}"
    );
    assert!(body.ends_with("read this.\n\nLast page."), "{body:?}");
    assert_eq!(sink.diagnostics.len(), 1);
    assert_eq!(
        sink.diagnostics[0].to_string(),
        "notes: warning: removed 361 control characters: 360 backspaces of overstrike (the underlined or bold character kept), 1 form feed (made line breaks) [control-characters]"
    );
}

/// Files that are binary stay rejected: many NULs, random bytes, stray control bytes.
#[test]
fn binary_files_are_still_rejected() {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let mut nuls = b"Title\n\n".to_vec();
    nuls.extend(std::iter::repeat_n([0u8, 0, 0, b'a', 1, 2], 200).flatten());
    let mut bells = "Some text. ".repeat(50).into_bytes();
    bells.extend([7u8; 20]);
    for (name, bytes) in [("random", &random), ("nuls", &nuls), ("bells", &bells)] {
        assert_eq!(Format::sniff(bytes), None, "{name}");
    }
}

/// The mbox's bad messages are diagnostics naming file and message; the import goes on.
#[test]
fn broken_mbox_names_its_bad_messages() {
    let (formats, sink) = import(&[fixtures().join("broken.mbox")], None);
    assert_eq!(formats[0].1, "mail");
    assert_eq!(sink.records.len(), 2);
    let errors: Vec<_> = sink
        .diagnostics
        .iter()
        .map(|d| (d.locator.to_string(), d.code))
        .collect();
    assert_eq!(
        errors,
        [
            ("broken.mbox: record 2".to_string(), "bad-message"),
            ("broken.mbox: record 3".to_string(), "empty"),
        ]
    );
}
