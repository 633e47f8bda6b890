//! Broadsheet's charts: timelines of coverage, term bars, keyness, heatmaps and dispersion plots,
//! drawn from plain serde-derivable structs into SVG or PNG bytes that are identical on every
//! machine (a bundled font, no system lookups, no clocks, fixed number formatting).
//!
//! Every chart is a function `fn(&Data, &ChartOptions) -> Result<Vec<u8>>`; [`Chart`] wraps them
//! all for callers that get a chart description as JSON, and [`render_to_path`] picks the format
//! from the file extension.
//!
//! Charts are built with plotters' chart layer (`ChartBuilder`, the mesh, series and elements,
//! split drawing areas) over one backend of Broadsheet's own (`canvas`): SVG with coordinates in
//! tenths of a pixel, or anti-aliased PNG pixels (`raster`). `layout` holds the page (title,
//! legend, notes) and the axes, `ticks` the numeric and calendar ticks.
//!
//! Text: the bundled DejaVu Sans covers Latin, Cyrillic, Greek, Arabic and Persian. PNG text has
//! no shaping engine: Arabic-script labels are shaped with presentation forms and reordered by a
//! simplified bidi algorithm (see the `shape` module), which is right for ordinary words and
//! names but not for vowel marks or complex mixed-direction text. SVG files keep the logical
//! text (wrapped in Unicode isolates) and let the viewer shape it; characters XML 1.0 forbids
//! never reach an SVG.

use std::path::Path;

use serde::{Deserialize, Serialize};

mod bars;
mod canvas;
mod dispersion;
mod font;
mod heatmap;
mod layout;
mod palette;
mod raster;
mod series;
mod shape;
pub mod ticks;
mod timeline;

pub use bars::{keyness, term_bars, BarItem, Keyness, KeynessItem, TermBars};
pub use dispersion::{dispersion, Dispersion, DispersionAxis, DispersionHit, DispersionRow};
pub use font::{covers as font_covers, FONT_FAMILY, FONT_LICENSE};
pub use heatmap::{heatmap, CellValues, Heatmap};
pub use palette::{CATEGORICAL, SEQUENTIAL};
pub use series::{coverage, Coverage, MIN_GAP};
pub use timeline::{
    timeline, Measure, Panels, PeriodUnit, ShowN, Timeline, TimelinePoint, TimelineSeries,
    TimelineStyle,
};

/// What can go wrong when drawing a chart. Odd data (empty, NaN, huge) is never an error: it is
/// drawn as an empty or capped chart with a note.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("invalid chart options: {0}")]
    Options(String),
    #[error("cannot tell the format of `{0}`: use a .svg or .png file name")]
    Extension(String),
    #[error("drawing failed: {0}")]
    Render(String),
    #[error("writing {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

pub type Result<T> = std::result::Result<T, ChartError>;

/// The file format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Svg,
    #[default]
    Png,
}

impl Format {
    /// The format named by a path's extension (`.svg`, `.png`, any case).
    pub fn from_path(path: &Path) -> Result<Format> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(ChartError::Extension(path.display().to_string())),
        }
    }
}

/// What every chart shares: titles, notes, size and format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChartOptions {
    pub title: String,
    pub subtitle: Option<String>,
    /// Lines printed under the plot (sources, method); the chart adds its own notes (undated
    /// articles, capped series) after these.
    pub notes: Vec<String>,
    /// Logical width and height in pixels (the SVG's size; the PNG's at scale 1).
    pub width: u32,
    pub height: u32,
    /// PNG pixels per logical pixel (1 = 96 dpi, 2 = 192 dpi, …); the PNG records the dpi.
    pub scale: u32,
    pub format: Format,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            title: String::new(),
            subtitle: None,
            notes: Vec::new(),
            width: 1200,
            height: 675,
            scale: 1,
            format: Format::Png,
        }
    }
}

impl ChartOptions {
    /// Default options (1200×675, scale 1, PNG) with a title.
    pub fn titled(title: impl Into<String>) -> Self {
        ChartOptions {
            title: title.into(),
            ..Default::default()
        }
    }

    pub(crate) fn validate(&self) -> Result<()> {
        if !(200..=20_000).contains(&self.width) || !(150..=20_000).contains(&self.height) {
            return Err(ChartError::Options(format!(
                "the size {}×{} is outside 200–20000 × 150–20000 pixels",
                self.width, self.height
            )));
        }
        if !(1..=8).contains(&self.scale) {
            return Err(ChartError::Options(format!(
                "the scale {} is outside 1–8",
                self.scale
            )));
        }
        let pixels =
            (self.width as u64 * self.scale as u64) * (self.height as u64 * self.scale as u64);
        if pixels > 200_000_000 {
            return Err(ChartError::Options(
                "the PNG would have more than 200 million pixels".into(),
            ));
        }
        Ok(())
    }
}

/// Any chart, for callers that receive a chart description (for example as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Chart {
    Timeline(Timeline),
    TermBars(TermBars),
    Keyness(Keyness),
    Heatmap(Heatmap),
    Dispersion(Dispersion),
}

/// Draws any chart in `opts.format`.
pub fn render(chart: &Chart, opts: &ChartOptions) -> Result<Vec<u8>> {
    match chart {
        Chart::Timeline(d) => timeline(d, opts),
        Chart::TermBars(d) => term_bars(d, opts),
        Chart::Keyness(d) => keyness(d, opts),
        Chart::Heatmap(d) => heatmap(d, opts),
        Chart::Dispersion(d) => dispersion(d, opts),
    }
}

/// Draws any chart into `path`, in the format its extension names (`.svg` or `.png`).
pub fn render_to_path(chart: &Chart, opts: &ChartOptions, path: &Path) -> Result<()> {
    let opts = ChartOptions {
        format: Format::from_path(path)?,
        ..opts.clone()
    };
    let bytes = render(chart, &opts)?;
    std::fs::write(path, bytes).map_err(|source| ChartError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Draws a chart with `paint` onto a canvas of `opts`' size and encodes it in `opts.format`.
pub(crate) fn draw(
    opts: &ChartOptions,
    paint: impl FnOnce(&layout::Area) -> layout::Res,
) -> Result<Vec<u8>> {
    use plotters::prelude::IntoDrawingArea;
    let err = |e: plotters::drawing::DrawingAreaErrorKind<std::convert::Infallible>| {
        ChartError::Render(e.to_string())
    };
    let (width, height) = (opts.width, opts.height);
    match opts.format {
        Format::Svg => {
            let mut body = String::new();
            let target = canvas::Target::Svg(&mut body);
            paint(
                &canvas::Canvas {
                    target,
                    width,
                    height,
                }
                .into_drawing_area(),
            )
            .map_err(err)?;
            Ok(canvas::svg_document(&body, width, height).into_bytes())
        }
        Format::Png => {
            let scale = opts.scale as f64;
            let mut pixels = raster::Pixels::new(width, height, scale);
            let target = canvas::Target::Png(&mut pixels);
            paint(
                &canvas::Canvas {
                    target,
                    width,
                    height,
                }
                .into_drawing_area(),
            )
            .map_err(err)?;
            raster::encode_png(&pixels.buf, pixels.w, pixels.h, scale)
        }
    }
}
