//! Import progress on standard error with indicatif, shown only on a terminal.

use std::time::Duration;

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};

use broadsheet_store::{ImportProgress, ProgressSnapshot};

pub struct ImportBar {
    bar: Option<ProgressBar>,
}

impl ImportBar {
    pub fn new(visible: bool) -> Self {
        if !visible {
            return ImportBar { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        ImportBar { bar: Some(bar) }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl ImportProgress for ImportBar {
    fn update(&self, p: &ProgressSnapshot) {
        if let Some(b) = &self.bar {
            if p.phase == "convert" {
                b.set_length(p.files_total.max(1));
                b.set_position(p.files_done);
                b.set_message(format!(
                    "{} of {} inputs converted · {} stored · {} duplicates · {} skipped",
                    p.files_done, p.files_total, p.stored, p.duplicates, p.skipped
                ));
                return;
            }
            if p.phase == "boilerplate" {
                b.set_length(p.total.max(1));
                b.set_position(p.done);
                b.set_message(format!(
                    "re-indexing {} of {} articles without their source's boilerplate lines",
                    p.done, p.total
                ));
                return;
            }
            b.set_length(p.bytes_total);
            b.set_position(p.bytes_done);
            b.set_message(format!(
                "file {}/{} · {} stored · {} duplicates · {} skipped · {}",
                p.files_done.min(p.files_total),
                p.files_total,
                p.stored,
                p.duplicates,
                p.skipped,
                HumanBytes(p.bytes_done)
            ));
        }
    }
}
