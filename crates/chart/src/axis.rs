//! Axes shared by the charts: linear scales, a numeric axis with grid lines (counts, shares in
//! percent, or any value), and a date axis whose ticks come from [`crate::ticks`] and whose
//! labels are checked not to overlap nor to run past the plot's box.

use jiff::civil::Date;

use crate::font;
use crate::frame::{line_height, TICK};
use crate::palette;
use crate::scene::{Align, Scene};
use crate::ticks::{self, DateStep, DateTick, NumTicks};

/// A box in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
}

/// A linear map from a data range to a pixel range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Linear {
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Self {
        let (d0, d1) = if (d1 - d0).abs() > 0.0 && d0.is_finite() && d1.is_finite() {
            (d0, d1)
        } else {
            (d0 - 0.5, d0 + 0.5)
        };
        Linear { d0, d1, r0, r1 }
    }

    pub fn map(&self, v: f64) -> f64 {
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// How values on a numeric axis are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumFormat {
    Number,
    /// Values are shares (0 to 1), written as percentages.
    Percent,
}

/// Labels for numeric ticks.
pub(crate) fn num_labels(t: &NumTicks, fmt: NumFormat) -> Vec<String> {
    let d = ticks::decimals_for(t.step);
    t.values
        .iter()
        .map(|&v| match fmt {
            NumFormat::Number => ticks::format_number(v, d),
            NumFormat::Percent => ticks::format_percent(v, t.step),
        })
        .collect()
}

/// Writes one value the way an axis of `fmt` would.
pub(crate) fn format_value(v: f64, fmt: NumFormat) -> String {
    match fmt {
        NumFormat::Number => ticks::format_count(v),
        NumFormat::Percent => {
            let pct = v * 100.0;
            let d = if pct.abs() >= 10.0 {
                0
            } else if pct.abs() >= 1.0 {
                1
            } else {
                2
            };
            format!("{}%", ticks::format_number(pct, d))
        }
    }
}

/// The widest of `labels` at tick size.
pub(crate) fn max_width(labels: &[String]) -> f64 {
    max_width_at(labels, TICK)
}

/// The widest of `labels` at `size`.
pub(crate) fn max_width_at(labels: &[String], size: f64) -> f64 {
    labels
        .iter()
        .map(|l| font::width(l, size, false))
        .fold(0.0, f64::max)
}

/// Draws horizontal grid lines and labels at the left of `plot` for a vertical numeric axis.
pub(crate) fn y_axis(
    scene: &mut Scene,
    plot: Rect,
    ticks: &NumTicks,
    labels: &[String],
    y: &Linear,
    show_labels: bool,
) {
    for (v, label) in ticks.values.iter().zip(labels) {
        let py = y.map(*v);
        let paint = if *v == 0.0 {
            palette::AXIS
        } else {
            palette::GRID
        };
        scene.segment(plot.x0, py, plot.x1, py, paint, 1.0);
        if show_labels {
            scene.text(
                plot.x0 - 7.0,
                py - TICK * 0.4,
                label,
                TICK,
                false,
                palette::MUTED,
                Align::End,
            );
        }
    }
}

/// Draws vertical grid lines and labels under `plot` for a horizontal numeric axis.
pub(crate) fn x_num_axis(
    scene: &mut Scene,
    plot: Rect,
    ticks: &NumTicks,
    labels: &[String],
    x: &Linear,
) {
    for (v, label) in ticks.values.iter().zip(labels) {
        let px = x.map(*v);
        let paint = if *v == 0.0 {
            palette::AXIS
        } else {
            palette::GRID
        };
        scene.segment(px, plot.y0, px, plot.y1, paint, 1.0);
        scene.text(
            px,
            plot.y1 + 6.0,
            label,
            TICK,
            false,
            palette::MUTED,
            Align::Middle,
        );
    }
}

/// The height a date axis needs under the plot: tick labels and the row of years.
pub(crate) fn date_axis_height() -> f64 {
    6.0 + 2.0 * line_height(TICK)
}

/// Chooses date ticks for a horizontal axis from `start` to `end` drawn from `x.r0` to `x.r1`,
/// such that labels keep 12 px apart and stay within `left`..`right`.
pub(crate) fn choose_date_ticks(
    start: Date,
    end: Date,
    x: &Linear,
    left: f64,
    right: f64,
    steps: &[DateStep],
) -> Vec<DateTick> {
    let (_, t) = ticks::choose_date_ticks(start, end, steps, |ticks| {
        let mut prev_right = f64::MIN;
        let mut prev_ctx_right = f64::MIN;
        for t in ticks {
            let px = x.map(ticks::day_number(t.date) as f64);
            let w = font::width(&t.label, TICK, false);
            if px - w / 2.0 < left || px + w / 2.0 > right || px - w / 2.0 < prev_right + 12.0 {
                return false;
            }
            prev_right = px + w / 2.0;
            if let Some(c) = &t.context {
                let cw = font::width(c, TICK, false);
                if px - cw / 2.0 < prev_ctx_right + 12.0 || px + cw / 2.0 > right {
                    return false;
                }
                prev_ctx_right = px + cw / 2.0;
            }
        }
        true
    });
    t
}

/// Draws date ticks under `plot` (small tick marks, labels, and years under them).
pub(crate) fn x_date_axis(
    scene: &mut Scene,
    plot: Rect,
    ticks: &[DateTick],
    x: &Linear,
    labels: bool,
    grid: bool,
) {
    for t in ticks {
        let px = x.map(ticks::day_number(t.date) as f64);
        if grid {
            scene.segment(px, plot.y0, px, plot.y1, palette::GRID, 1.0);
        }
        scene.segment(px, plot.y1, px, plot.y1 + 4.0, palette::AXIS, 1.0);
        if labels {
            scene.text(
                px,
                plot.y1 + 6.0,
                &t.label,
                TICK,
                false,
                palette::MUTED,
                Align::Middle,
            );
            if let Some(c) = &t.context {
                scene.text(
                    px,
                    plot.y1 + 6.0 + line_height(TICK),
                    c,
                    TICK,
                    true,
                    palette::MUTED,
                    Align::Middle,
                );
            }
        }
    }
}

/// A vertical axis title, reading bottom to top, centred on the plot's height, its top at `x`.
pub(crate) fn y_title(scene: &mut Scene, x: f64, plot: Rect, title: &str) {
    let t = font::ellipsize(title, crate::frame::LABEL, false, plot.height());
    scene.text_rotated(
        x,
        (plot.y0 + plot.y1) / 2.0,
        &t,
        crate::frame::LABEL,
        palette::MUTED,
    );
}
