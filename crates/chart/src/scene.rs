//! A chart as a flat list of shapes in logical pixels (before the PNG scale factor): rectangles,
//! lines, polygons, circles and text. Charts build a scene; `render` draws it through a plotters
//! backend. Keeping this layer makes every chart format-independent and easy to test.

/// A colour with opacity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Paint {
    pub rgb: (u8, u8, u8),
    pub alpha: f64,
}

impl Paint {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Paint {
            rgb: (r, g, b),
            alpha: 1.0,
        }
    }

    pub const fn hex(v: u32) -> Self {
        Paint::rgb((v >> 16) as u8, (v >> 8) as u8, v as u8)
    }

    pub fn with_alpha(self, alpha: f64) -> Self {
        Paint { alpha, ..self }
    }

    /// Relative luminance (sRGB, 0 to 1), used to pick dark or light text on a fill.
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = c as f64 / 255.0;
            // A polynomial fit of the sRGB transfer curve (avoids `powf`, for determinism).
            c * (c * (c * 0.305_306_011 + 0.682_171_111) + 0.012_522_878)
        };
        0.2126 * lin(self.rgb.0) + 0.7152 * lin(self.rgb.1) + 0.0722 * lin(self.rgb.2)
    }
}

/// Horizontal text alignment relative to the anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// An axis-aligned rectangle from (x0, y0) to (x1, y1), filled and/or outlined.
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        fill: Option<Paint>,
        stroke: Option<(Paint, f64)>,
    },
    /// An open polyline.
    Line {
        points: Vec<(f64, f64)>,
        paint: Paint,
        width: f64,
    },
    /// A filled polygon.
    Polygon {
        points: Vec<(f64, f64)>,
        fill: Paint,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
        fill: Option<Paint>,
        stroke: Option<(Paint, f64)>,
    },
    /// Text whose box top is at `y` (the baseline is [`crate::font::TOP_TO_BASELINE`] ems
    /// lower). Rotated text reads bottom to top and its box's top faces left, at `x`.
    Text {
        x: f64,
        y: f64,
        text: String,
        size: f64,
        bold: bool,
        paint: Paint,
        align: Align,
        rotated: bool,
    },
}

/// A chart ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scene {
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
}

impl Scene {
    pub fn new(width: f64, height: f64) -> Self {
        let mut s = Scene {
            width,
            height,
            shapes: Vec::new(),
        };
        s.rect(
            0.0,
            0.0,
            width,
            height,
            Some(Paint::rgb(255, 255, 255)),
            None,
        );
        s
    }

    pub fn rect(
        &mut self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        fill: Option<Paint>,
        stroke: Option<(Paint, f64)>,
    ) {
        if [x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
            self.shapes.push(Shape::Rect {
                x0: x0.min(x1),
                y0: y0.min(y1),
                x1: x0.max(x1),
                y1: y0.max(y1),
                fill,
                stroke,
            });
        }
    }

    pub fn line(&mut self, points: Vec<(f64, f64)>, paint: Paint, width: f64) {
        if points.len() >= 2 && points.iter().all(|(x, y)| x.is_finite() && y.is_finite()) {
            self.shapes.push(Shape::Line {
                points,
                paint,
                width,
            });
        }
    }

    pub fn segment(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, paint: Paint, width: f64) {
        self.line(vec![(x0, y0), (x1, y1)], paint, width);
    }

    pub fn polygon(&mut self, points: Vec<(f64, f64)>, fill: Paint) {
        if points.len() >= 3 && points.iter().all(|(x, y)| x.is_finite() && y.is_finite()) {
            self.shapes.push(Shape::Polygon { points, fill });
        }
    }

    pub fn circle(
        &mut self,
        cx: f64,
        cy: f64,
        r: f64,
        fill: Option<Paint>,
        stroke: Option<(Paint, f64)>,
    ) {
        if cx.is_finite() && cy.is_finite() && r.is_finite() && r > 0.0 {
            self.shapes.push(Shape::Circle {
                cx,
                cy,
                r,
                fill,
                stroke,
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        text: &str,
        size: f64,
        bold: bool,
        paint: Paint,
        align: Align,
    ) {
        if !text.is_empty() && x.is_finite() && y.is_finite() {
            self.shapes.push(Shape::Text {
                x,
                y,
                text: text.to_string(),
                size,
                bold,
                paint,
                align,
                rotated: false,
            });
        }
    }

    pub fn text_rotated(&mut self, x: f64, y: f64, text: &str, size: f64, paint: Paint) {
        if !text.is_empty() && x.is_finite() && y.is_finite() {
            self.shapes.push(Shape::Text {
                x,
                y,
                text: text.to_string(),
                size,
                bold: false,
                paint,
                align: Align::Middle,
                rotated: true,
            });
        }
    }
}
