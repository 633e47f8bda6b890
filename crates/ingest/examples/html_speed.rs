//! Times `html_to_text` and `html::extract` on a generated page: `cargo run --release -p
//! broadsheet-ingest --example html_speed -- [MB]` (default 5). The page is the markup news
//! sites write: navigation, sections of paragraphs with links and emphasis, lists, tables, some
//! paragraphs and list items left unclosed. Prints the median of five runs of each.
//!
//! With `dump` instead of a size, reads file paths from standard input and prints, for each,
//! a hash of `html_to_text` of the file and of `extract`'s text and dropped tags: two builds'
//! outputs compared line by line show whether a change to the HTML code changed any text.

use std::time::Instant;

use broadsheet_ingest::html::{extract, html_to_text};

fn page(mb: usize) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Big page</title>\
         <script>var a = 1 < 2 ? '<div>' : '</div>';</script><style>p { margin: 0 }</style></head>\
         <body><nav><ul><li><a href=\"/\">Home</a><li><a href=\"/world\">World</a></ul></nav><main>",
    );
    let mut k = 0usize;
    while html.len() < mb << 20 {
        k += 1;
        html.push_str(&format!(
            "<section class=\"story s{k}\"><h2>Story {k}</h2>\
             <p>The minister said on <b>Tuesday</b> that the talks would <em>continue</em> next week, \
             according to <a href=\"/people/{k}\">officials</a> familiar with the matter.</p>\
             <p>Unclosed paragraph {k} with <span class=\"x\">a span</span> and <i>italics</i>\
             <p>Another one, &amp; an entity &eacute;t&eacute;.\
             <ul><li>first point<li>second point<li><strong>third</strong> point</ul>\
             <table><tr><td>cell {k}<td>cell<tr><td>row two<td>end</table>\
             <div class=\"aside\"><div><div><p>Deep-ish <u>text</u></p></div></div></div>\
             <!-- comment <div> --></section>\n"
        ));
    }
    html.push_str("</main><footer><p>Footer</p></footer></body></html>");
    html
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn dump() {
    use std::hash::{DefaultHasher, Hash, Hasher};
    for path in std::io::stdin().lines() {
        let path = path.expect("a path");
        let bytes = std::fs::read(&path).expect("a readable file");
        let text = String::from_utf8_lossy(&bytes);
        let mut h = DefaultHasher::new();
        html_to_text(&text).hash(&mut h);
        match extract(&bytes, None) {
            Ok(a) => (a.text, a.text_from, a.tags_dropped, a.title).hash(&mut h),
            Err(e) => e.to_string().hash(&mut h),
        }
        println!("{:016x} {path}", h.finish());
    }
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("dump") {
        return dump();
    }
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let html = page(mb);
    let mut to_text = Vec::new();
    let mut extracting = Vec::new();
    let mut len = 0;
    for _ in 0..5 {
        let t = Instant::now();
        len = html_to_text(&html).len();
        to_text.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let a = extract(html.as_bytes(), None).expect("the page reads");
        extracting.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(a.tags_dropped, 0);
    }
    println!(
        "{:.1} MB page: html_to_text median {:.0} ms ({} bytes of text), extract median {:.0} ms",
        html.len() as f64 / 1048576.0,
        median(to_text),
        len,
        median(extracting)
    );
}
