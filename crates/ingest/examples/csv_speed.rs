//! Times the CSV reader on a generated file: `cargo run --release -p broadsheet-ingest
//! --example csv_speed -- [MB]` (default 100): rows with an id, a date, a quoted title and a
//! quoted body of three paragraphs, the shape a news export has.

use broadsheet_ingest::readers::{FileCtx, Flow, ReadOptions, Sink};
use broadsheet_ingest::{Diagnostic, Locator, RawRecord};

struct Count(u64, u64);

impl Sink for Count {
    fn record(&mut self, _: RawRecord, _: Locator) -> Flow {
        self.0 += 1;
        Flow::Continue
    }
    fn diagnostic(&mut self, _: Diagnostic) -> Flow {
        self.1 += 1;
        Flow::Continue
    }
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let mut data = String::from("id,date,title,text\n");
    let mut i = 0;
    while data.len() < mb << 20 {
        i += 1;
        data.push_str(&format!(
            "{i},2016-01-{:02},\"Title {i}, with a comma\",\"First paragraph of article {i}, which says what happened.\n\nSecond paragraph, with \"\"a quote\"\" and more words about the talks in Moscow and Bishkek.\n\nThird paragraph.\"\n",
            i % 28 + 1
        ));
    }
    let ctx = FileCtx {
        display: "speed.csv".into(),
        folder: None,
        file_name: "speed.csv".into(),
        encoding: broadsheet_ingest::encoding::FileEncoding::Utf8 {
            bom: false,
            fallback: encoding_rs::WINDOWS_1252,
        },
    };
    let started = std::time::Instant::now();
    let mut sink = Count(0, 0);
    let mut input = std::io::BufReader::with_capacity(256 * 1024, data.as_bytes());
    broadsheet_ingest::readers::csv::read(&mut input, &ctx, &ReadOptions::default(), &mut sink)
        .unwrap();
    let s = started.elapsed().as_secs_f64();
    let size = data.len() as f64 / 1048576.0;
    println!(
        "{} rows, {} diagnostics, {size:.1} MB in {s:.2} s: {:.0} MB/s",
        sink.0,
        sink.1,
        size / s
    );
}
