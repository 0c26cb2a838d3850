//! Markup: coloured strokes, arrows and boxes drawn over the first image of
//! an edit, telling the model what to change where (the prompt says what
//! each mark means). Marks live on the same grid of cells as a painted
//! mask, so they survive a resize; the export draws them at the image's
//! full size on a transparent PNG, which is what the API takes as `markup`.

use image::{Rgba, RgbaImage};

/// The colours offered, in the order `next` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkColour {
    Red,
    Yellow,
    Green,
    Cyan,
    Blue,
    Magenta,
    White,
}

impl MarkColour {
    const ALL: [MarkColour; 7] = [
        MarkColour::Red,
        MarkColour::Yellow,
        MarkColour::Green,
        MarkColour::Cyan,
        MarkColour::Blue,
        MarkColour::Magenta,
        MarkColour::White,
    ];

    pub fn rgb(self) -> [u8; 3] {
        match self {
            MarkColour::Red => [255, 40, 40],
            MarkColour::Yellow => [255, 220, 0],
            MarkColour::Green => [40, 220, 60],
            MarkColour::Cyan => [0, 220, 240],
            MarkColour::Blue => [50, 90, 255],
            MarkColour::Magenta => [240, 50, 240],
            MarkColour::White => [255, 255, 255],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            MarkColour::Red => "red",
            MarkColour::Yellow => "yellow",
            MarkColour::Green => "green",
            MarkColour::Cyan => "cyan",
            MarkColour::Blue => "blue",
            MarkColour::Magenta => "magenta",
            MarkColour::White => "white",
        }
    }

    pub fn next(self) -> MarkColour {
        let at = MarkColour::ALL.iter().position(|c| *c == self).unwrap_or(0);
        MarkColour::ALL[(at + 1) % MarkColour::ALL.len()]
    }
}

/// One mark, in grid cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// A freehand line through these cells (one cell is a dot).
    Stroke {
        points: Vec<(u16, u16)>,
        colour: MarkColour,
    },
    Arrow {
        from: (u16, u16),
        to: (u16, u16),
        colour: MarkColour,
    },
    /// A rectangle's outline between two corners.
    Frame {
        from: (u16, u16),
        to: (u16, u16),
        colour: MarkColour,
    },
}

impl Mark {
    pub fn colour(&self) -> MarkColour {
        match self {
            Mark::Stroke { colour, .. }
            | Mark::Arrow { colour, .. }
            | Mark::Frame { colour, .. } => *colour,
        }
    }

    /// The segments the mark is drawn as, in cells.
    fn segments(&self) -> Vec<((f64, f64), (f64, f64))> {
        let at = |(c, r): (u16, u16)| (f64::from(c) + 0.5, f64::from(r) + 0.5);
        match self {
            Mark::Stroke { points, .. } => match points.as_slice() {
                [one] => vec![(at(*one), at(*one))],
                many => many.windows(2).map(|w| (at(w[0]), at(w[1]))).collect(),
            },
            Mark::Arrow { from, to, .. } => {
                let (a, b) = (at(*from), at(*to));
                let mut lines = vec![(a, b)];
                lines.extend(arrow_head(a, b));
                lines
            }
            Mark::Frame { from, to, .. } => {
                let (x0, x1) = (from.0.min(to.0), from.0.max(to.0));
                let (y0, y1) = (from.1.min(to.1), from.1.max(to.1));
                let corner = |c: u16, r: u16| at((c, r));
                let (a, b, c, d) = (
                    corner(x0, y0),
                    corner(x1, y0),
                    corner(x1, y1),
                    corner(x0, y1),
                );
                vec![(a, b), (b, c), (c, d), (d, a)]
            }
        }
    }
}

/// Two short lines back from the tip, 30° either side of the shaft.
fn arrow_head(from: (f64, f64), to: (f64, f64)) -> Vec<((f64, f64), (f64, f64))> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let length = (dx * dx + dy * dy).sqrt();
    if length < 1e-9 {
        return Vec::new();
    }
    let head = (length / 3.0).clamp(1.0, 4.0);
    let angle = dy.atan2(dx);
    [angle + 2.618, angle - 2.618]
        .into_iter()
        .map(|a| (to, (to.0 + head * a.cos(), to.1 + head * a.sin())))
        .collect()
}

/// Undo keeps this many earlier states.
const UNDO_DEPTH: usize = 64;

/// The marks over image 1, on a grid of `cols`×`rows` cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markup {
    pub cols: u16,
    pub rows: u16,
    pub marks: Vec<Mark>,
    undo: Vec<Vec<Mark>>,
}

impl Markup {
    pub fn new(cols: u16, rows: u16) -> Markup {
        Markup {
            cols: cols.max(1),
            rows: rows.max(1),
            marks: Vec::new(),
            undo: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    fn keep_for_undo(&mut self) {
        if self.undo.len() == UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo.push(self.marks.clone());
    }

    pub fn add(&mut self, mark: Mark) {
        self.keep_for_undo();
        self.marks.push(mark);
    }

    /// Adds a cell to the last stroke when `extend` (the pen is down),
    /// else starts a stroke there.
    pub fn stroke_to(&mut self, cell: (u16, u16), colour: MarkColour, extend: bool) {
        if extend
            && let Some(Mark::Stroke { points, colour: c }) = self.marks.last_mut()
            && *c == colour
        {
            if points.last() != Some(&cell) {
                points.push(cell);
            }
            return;
        }
        self.add(Mark::Stroke {
            points: vec![cell],
            colour,
        });
    }

    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(before) => {
                self.marks = before;
                true
            }
            None => false,
        }
    }

    pub fn clear(&mut self) {
        if !self.marks.is_empty() {
            self.keep_for_undo();
            self.marks.clear();
        }
    }

    /// The cells each mark covers on the grid, for drawing on screen; later
    /// marks over earlier ones.
    pub fn cells(&self) -> Vec<((u16, u16), MarkColour)> {
        let mut out = Vec::new();
        for mark in &self.marks {
            for (a, b) in mark.segments() {
                let steps = ((b.0 - a.0).abs().max((b.1 - a.1).abs()).ceil() as usize).max(1);
                for i in 0..=steps {
                    let t = i as f64 / steps as f64;
                    let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
                    if x >= 0.0 && y >= 0.0 && x < f64::from(self.cols) && y < f64::from(self.rows)
                    {
                        out.push(((x as u16, y as u16), mark.colour()));
                    }
                }
            }
        }
        out
    }
}

/// The markup as a transparent PNG of `width`×`height` (image 1's size):
/// each mark drawn as lines about a third of a cell wide.
pub fn export(markup: &Markup, width: u32, height: u32) -> Result<Vec<u8>, String> {
    let (width, height) = (width.max(1), height.max(1));
    let mut image = RgbaImage::new(width, height);
    let cell_w = f64::from(width) / f64::from(markup.cols);
    let cell_h = f64::from(height) / f64::from(markup.rows);
    let radius = (cell_w.min(cell_h) / 3.0).max(1.5);
    let to_pixels = |(x, y): (f64, f64)| (x * cell_w, y * cell_h);
    for mark in &markup.marks {
        let [r, g, b] = mark.colour().rgb();
        for (a, b_end) in mark.segments() {
            line(
                &mut image,
                to_pixels(a),
                to_pixels(b_end),
                radius,
                Rgba([r, g, b, 255]),
            );
        }
    }
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(png)
}

/// A line of discs of `radius` from `a` to `b`.
fn line(image: &mut RgbaImage, a: (f64, f64), b: (f64, f64), radius: f64, colour: Rgba<u8>) {
    let length = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
    let steps = (length / (radius / 2.0).max(0.5)).ceil() as usize;
    for i in 0..=steps.max(1) {
        let t = i as f64 / steps.max(1) as f64;
        disc(
            image,
            (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t),
            radius,
            colour,
        );
    }
}

fn disc(image: &mut RgbaImage, (cx, cy): (f64, f64), radius: f64, colour: Rgba<u8>) {
    let (w, h) = image.dimensions();
    let x0 = (cx - radius).floor().max(0.0) as u32;
    let y0 = (cy - radius).floor().max(0.0) as u32;
    let x1 = ((cx + radius).ceil() as u32).min(w);
    let y1 = ((cy + radius).ceil() as u32).min(h);
    for y in y0..y1 {
        for x in x0..x1 {
            let (dx, dy) = (f64::from(x) + 0.5 - cx, f64::from(y) + 0.5 - cy);
            if dx * dx + dy * dy <= radius * radius {
                image.put_pixel(x, y, colour);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(png: &[u8]) -> RgbaImage {
        image::load_from_memory(png).unwrap().into_rgba8()
    }

    #[test]
    fn the_export_is_the_image_size_transparent_but_for_the_marks() {
        let mut markup = Markup::new(10, 10);
        markup.add(Mark::Frame {
            from: (1, 1),
            to: (8, 8),
            colour: MarkColour::Red,
        });
        markup.add(Mark::Arrow {
            from: (5, 0),
            to: (5, 5),
            colour: MarkColour::Yellow,
        });
        let image = decoded(&export(&markup, 300, 200).unwrap());
        assert_eq!(image.dimensions(), (300, 200));
        // The frame's top edge runs through cell row 1 (y 30 of 200 / 10 rows: 20 px a cell).
        assert_eq!(image.get_pixel(100, 30).0, [255, 40, 40, 255]);
        // Inside the frame, away from the arrow: see-through.
        assert_eq!(image.get_pixel(60, 140).0[3], 0);
        // Outside everything: see-through.
        assert_eq!(image.get_pixel(5, 195).0[3], 0);
        // The arrow's tip at the centre of cell (5, 5).
        assert_eq!(image.get_pixel(165, 110).0, [255, 220, 0, 255]);
    }

    #[test]
    fn strokes_grow_while_the_pen_is_down_and_undo_steps_back() {
        let mut markup = Markup::new(20, 20);
        markup.stroke_to((1, 1), MarkColour::Green, false);
        markup.stroke_to((2, 1), MarkColour::Green, true);
        markup.stroke_to((3, 2), MarkColour::Green, true);
        assert_eq!(markup.marks.len(), 1);
        markup.stroke_to((9, 9), MarkColour::Blue, true);
        assert_eq!(markup.marks.len(), 2, "a new colour starts a new stroke");
        let cells = markup.cells();
        assert!(cells.contains(&((2, 1), MarkColour::Green)));
        assert!(cells.contains(&((9, 9), MarkColour::Blue)));
        assert!(markup.undo());
        assert_eq!(markup.marks.len(), 1);
        markup.clear();
        assert!(markup.is_empty());
        assert!(markup.undo());
        assert_eq!(markup.marks.len(), 1, "clear can be undone");
    }

    #[test]
    fn colours_cycle_through_all_seven() {
        let mut colour = MarkColour::Red;
        let mut seen = vec![colour];
        for _ in 0..6 {
            colour = colour.next();
            seen.push(colour);
        }
        assert_eq!(colour.next(), MarkColour::Red);
        seen.dedup();
        assert_eq!(seen.len(), 7);
    }
}
