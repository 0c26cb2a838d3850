//! Images drawn beside ratatui's cells (kitty, sixel, iTerm2): which image
//! is shown where, so a frame writes only what changed. Before ratatui
//! draws, images that go away or move are erased; after it, images that
//! are new or moved are shown. A frame that changes nothing writes no
//! image bytes. The kitty terminal keeps each image's data by id, so
//! showing it again costs one placement; images that leave the app's
//! cache are freed in the terminal too.
//!
//! Inside tmux the kitty images are unicode placeholders drawn into the
//! cells; only their transfer (once per image) goes through here.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use ratatui::layout::Rect;

use super::graphics::{Graphics, TerminalImages};
use super::kitty::{self, Route};
use super::prepared::Prepared;
use super::thumbnail::Thumbnail;

/// One image the frame shows.
#[derive(Debug, Clone)]
pub struct Placement {
    pub id: u32,
    /// The cells the picture may use; the image is centred in them.
    pub area: Rect,
    pub image: Arc<Prepared>,
    /// Which of an animation's frames shows (0 for a still, and for
    /// terminals that play animations themselves).
    pub frame: usize,
}

/// One showing of an image: the same thumbnail can be on screen twice
/// (the selected tile and the preview beside it), each its own placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Spot {
    id: u32,
    /// 1 for the image's first showing this frame, 2 for its second…
    copy: u32,
}

/// Where a placement's image goes this frame.
struct Target {
    at: Rect,
    image: Arc<Prepared>,
    frame: usize,
}

/// An iTerm2 image to print once the frame's bytes are out (viuer
/// writes to stdout itself).
#[derive(Debug, Clone)]
pub struct ItermPrint {
    pub thumb: Thumbnail,
    pub target: Rect,
}

#[derive(Debug, Default)]
pub struct Layer {
    terminal: Option<TerminalImages>,
    /// Each showing → the cells it covers now, and the frame drawn there.
    shown: HashMap<Spot, (Rect, usize)>,
    /// Image ids whose data the kitty terminal holds.
    sent: HashSet<u32>,
    /// How often each image was sent again after the terminal lost it.
    resent: HashMap<u32, u8>,
}

/// A terminal that keeps losing one image (or refusing it) is not sent it
/// forever.
const MAX_RESENDS: u8 = 3;

/// The cells a `width`×`height` pixel image covers, centred in `area`, or
/// `None` when it does not fit (it is then not drawn, never drawn outside).
pub fn target(area: Rect, width: u32, height: u32, cell: (u16, u16)) -> Option<Rect> {
    let (cw, ch) = (u32::from(cell.0.max(1)), u32::from(cell.1.max(1)));
    let columns = u16::try_from(width.div_ceil(cw)).ok()?;
    let rows = u16::try_from(height.div_ceil(ch)).ok()?;
    if columns == 0 || rows == 0 || columns > area.width || rows > area.height {
        return None;
    }
    Some(Rect::new(
        area.x + (area.width - columns) / 2,
        area.y + (area.height - rows) / 2,
        columns,
        rows,
    ))
}

impl Layer {
    pub fn new(terminal: TerminalImages) -> Layer {
        Layer {
            terminal: Some(terminal),
            ..Layer::default()
        }
    }

    fn graphics(&self) -> Graphics {
        self.terminal.map_or(Graphics::None, |t| t.graphics)
    }

    /// Writes anything at all: half blocks and text-only modes live in the
    /// cells, so frames need no image work.
    pub fn writes_images(&self) -> bool {
        let graphics = self.graphics();
        graphics.out_of_band() || graphics == Graphics::Kitty(Route::Tmux)
    }

    fn targets(&self, placements: &[Placement]) -> HashMap<Spot, Target> {
        let Some(terminal) = self.terminal else {
            return HashMap::new();
        };
        let mut copies: HashMap<u32, u32> = HashMap::new();
        placements
            .iter()
            .filter_map(|p| {
                let thumb = &p.image.thumb;
                let at = target(p.area, thumb.width, thumb.height, terminal.cell)?;
                let copy = copies.entry(p.id).or_insert(0);
                *copy += 1;
                Some((
                    Spot {
                        id: p.id,
                        copy: *copy,
                    },
                    Target {
                        at,
                        image: p.image.clone(),
                        frame: p.frame,
                    },
                ))
            })
            .collect()
    }

    /// Sends an image to kitty once: its first frame, and when animations
    /// play, every later frame with its time and the order to loop them.
    fn transmit(&mut self, route: Route, id: u32, image: &Prepared, out: &mut Vec<u8>) {
        if !self.sent.insert(id) {
            return;
        }
        kitty::transmit(route, id, &image.payload, out);
        if image.is_animated() && self.terminal.is_some_and(|t| t.animate) {
            kitty::animate(route, id, image, out);
        }
    }

    /// Erases images that this frame moves or no longer shows.
    pub fn before_draw(&mut self, placements: &[Placement], out: &mut Vec<u8>) {
        if !self.graphics().out_of_band() {
            return;
        }
        let targets = self.targets(placements);
        let gone: Vec<(Spot, Rect)> = self
            .shown
            .iter()
            .filter(|(spot, (at, _))| targets.get(spot).map(|t| t.at) != Some(*at))
            .map(|(spot, (at, _))| (*spot, *at))
            .collect();
        for (spot, at) in gone {
            match self.graphics() {
                // A moved kitty image is moved by placing it again.
                Graphics::Kitty(route) if !targets.contains_key(&spot) => {
                    kitty::hide_placement(route, spot.id, spot.copy, out);
                }
                Graphics::Kitty(_) => continue,
                _ => blank(at, out),
            }
            self.shown.remove(&spot);
        }
    }

    /// Shows images that are new or moved; returns the iTerm2 prints.
    pub fn after_draw(&mut self, placements: &[Placement], out: &mut Vec<u8>) -> Vec<ItermPrint> {
        let graphics = self.graphics();
        if graphics == Graphics::Kitty(Route::Tmux) {
            self.send_virtual(placements, out);
            return Vec::new();
        }
        if !graphics.out_of_band() {
            return Vec::new();
        }
        let mut prints = Vec::new();
        let mut targets: Vec<(Spot, Target)> = self.targets(placements).into_iter().collect();
        targets.sort_by_key(|(spot, _)| *spot);
        for (spot, Target { at, image, frame }) in targets {
            let before = self.shown.get(&spot).copied();
            // Kitty plays animations itself: only a move places again.
            let frame = if matches!(graphics, Graphics::Kitty(_)) {
                0
            } else {
                frame
            };
            if before == Some((at, frame)) {
                continue;
            }
            let (thumb, payload) = image.frame(frame);
            match graphics {
                Graphics::Kitty(route) => {
                    self.transmit(route, spot.id, &image, out);
                    kitty::place(spot.id, spot.copy, at.x, at.y, out);
                }
                Graphics::Sixel => {
                    // Sixel leaves see-through pixels as they were: a new
                    // frame of a transparent animation goes over blank cells.
                    if before.is_some_and(|(was, _)| was == at) && !thumb.is_opaque() {
                        blank(at, out);
                    }
                    out.extend_from_slice(format!("\x1b[{};{}H", at.y + 1, at.x + 1).as_bytes());
                    out.extend_from_slice(payload);
                }
                _ => prints.push(ItermPrint {
                    thumb: thumb.clone(),
                    target: at,
                }),
            }
            self.shown.insert(spot, (at, frame));
        }
        prints
    }

    /// tmux: each image is sent once with a virtual placement of the size
    /// its placeholder cells have.
    fn send_virtual(&mut self, placements: &[Placement], out: &mut Vec<u8>) {
        let targets = self.targets(placements);
        let mut spots: Vec<&Spot> = targets.keys().filter(|s| s.copy == 1).collect();
        spots.sort();
        for spot in spots {
            let target = &targets[spot];
            if !self.sent.contains(&spot.id) {
                self.transmit(Route::Tmux, spot.id, &target.image, out);
                let at = target.at;
                kitty::place_virtual(Route::Tmux, spot.id, at.width, at.height, out);
            }
        }
    }

    /// Frees, in the terminal, images the app no longer holds.
    pub fn forget_unless(&mut self, keep: impl Fn(u32) -> bool, out: &mut Vec<u8>) {
        let Graphics::Kitty(route) = self.graphics() else {
            return;
        };
        let dropped: Vec<u32> = self.sent.iter().copied().filter(|id| !keep(*id)).collect();
        for id in dropped {
            kitty::forget(route, id, out);
            self.sent.remove(&id);
            self.shown.retain(|spot, _| spot.id != id);
            self.resent.remove(&id);
        }
    }

    /// The terminal said it does not hold image `id` (kitty `ENOENT` after
    /// a clear freed it, or a refused transfer): it is sent and placed
    /// again with the next frame, a few times at most.
    pub fn lost(&mut self, id: u32) {
        let count = self.resent.entry(id).or_insert(0);
        if *count >= MAX_RESENDS {
            return;
        }
        *count += 1;
        self.sent.remove(&id);
        self.shown.retain(|spot, _| spot.id != id);
    }

    /// Another program had the screen (an editor, a suspend): whatever the
    /// terminal held may be gone, so every image is sent again.
    pub fn screen_lost(&mut self, out: &mut Vec<u8>) {
        if let Graphics::Kitty(route) = self.graphics() {
            // Freed outright, so the terminal holds nothing unaccounted for.
            kitty::forget_all(route, out);
        }
        self.shown.clear();
        self.sent.clear();
    }

    /// After the screen was cleared (resize, an editor ran): nothing is
    /// shown any more; kitty placements are hidden explicitly, since a
    /// clear does not remove them everywhere.
    pub fn invalidate(&mut self, out: &mut Vec<u8>) {
        if let Graphics::Kitty(Route::Direct) = self.graphics()
            && !self.shown.is_empty()
        {
            kitty::hide_all(Route::Direct, out);
        }
        self.shown.clear();
    }

    /// Ids shown now (for tests and the byte benchmarks).
    pub fn shown(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = self.shown.keys().map(|spot| spot.id).collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// Writes spaces over `at`, wiping a sixel or iTerm2 image: ratatui's
/// cells there are already blank, so it would not redraw them.
fn blank(at: Rect, out: &mut Vec<u8>) {
    out.extend_from_slice(b"\x1b[0m");
    for row in at.top()..at.bottom() {
        out.extend_from_slice(format!("\x1b[{};{}H", row + 1, at.x + 1).as_bytes());
        out.extend(std::iter::repeat_n(b' ', usize::from(at.width)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::kitty::Route;

    #[test]
    fn targets_are_centred_and_never_larger_than_their_area() {
        let area = Rect::new(10, 5, 24, 12);
        assert_eq!(
            target(area, 240, 160, (10, 20)),
            Some(Rect::new(10, 7, 24, 8))
        );
        assert_eq!(
            target(area, 100, 100, (10, 20)),
            Some(Rect::new(17, 8, 10, 5))
        );
        assert_eq!(target(area, 241, 100, (10, 20)), None, "one pixel too wide");
        assert_eq!(target(area, 0, 100, (10, 20)), None);
    }

    /// A terminal drawing with `graphics`, cells of 10×20.
    fn terminal(graphics: Graphics) -> TerminalImages {
        TerminalImages {
            graphics,
            cell: (10, 20),
            palette: crate::images::graphics::Palette::Rgb,
            sixel_max: crate::images::graphics::DEFAULT_SIXEL_MAX,
            animate: true,
        }
    }

    fn placement(id: u32, x: u16) -> Placement {
        let thumb = Thumbnail {
            width: 20,
            height: 20,
            rgba: vec![255; 1600],
        };
        Placement {
            frame: 0,
            id,
            area: Rect::new(x, 0, 4, 2),
            image: Arc::new(Prepared::still(thumb, b"PNG".to_vec())),
        }
    }

    #[test]
    fn after_a_clear_everything_is_placed_again() {
        let images = terminal(Graphics::Kitty(Route::Direct));
        let mut layer = Layer::new(images);
        let shown = [placement(1, 0), placement(2, 5)];
        let mut out = Vec::new();
        layer.after_draw(&shown, &mut out);
        assert_eq!(layer.shown(), [1, 2]);
        out.clear();
        layer.invalidate(&mut out);
        assert_eq!(
            out, b"\x1b_Ga=d,d=a,q=2\x1b\\",
            "kitty placements are hidden"
        );
        assert!(layer.shown().is_empty());
        out.clear();
        layer.after_draw(&shown, &mut out);
        let text = String::from_utf8_lossy(&out);
        assert_eq!(text.matches("a=p,").count(), 2, "both placed again: {text}");
        assert!(!text.contains("a=t"), "but not sent again");
    }

    #[test]
    fn the_same_image_twice_is_two_placements() {
        let images = terminal(Graphics::Kitty(Route::Direct));
        let mut layer = Layer::new(images);
        let twice = [placement(1, 0), placement(1, 10)];
        let mut out = Vec::new();
        layer.after_draw(&twice, &mut out);
        let text = String::from_utf8_lossy(&out).into_owned();
        assert_eq!(text.matches("a=t,").count(), 1, "sent once: {text}");
        assert!(
            text.contains("a=p,i=1,p=1,") && text.contains("a=p,i=1,p=2,"),
            "{text}"
        );
        out.clear();
        layer.before_draw(&twice[..1], &mut out);
        assert_eq!(
            String::from_utf8_lossy(&out),
            "\x1b_Ga=d,d=i,i=1,p=2,q=2\x1b\\",
            "only the second goes"
        );
    }

    #[test]
    fn a_lost_image_is_sent_again_a_few_times_at_most() {
        let images = terminal(Graphics::Kitty(Route::Direct));
        let mut layer = Layer::new(images);
        let shown = [placement(4, 0)];
        let mut out = Vec::new();
        layer.after_draw(&shown, &mut out);
        for round in 0..5 {
            layer.lost(4);
            out.clear();
            layer.after_draw(&shown, &mut out);
            let sent = String::from_utf8_lossy(&out).contains("a=t,");
            assert_eq!(sent, round < MAX_RESENDS as usize, "round {round}");
        }
        out.clear();
        layer.screen_lost(&mut out);
        assert_eq!(String::from_utf8_lossy(&out), "\x1b_Ga=d,d=A,q=2\x1b\\");
        out.clear();
        layer.after_draw(&shown, &mut out);
        assert!(
            String::from_utf8_lossy(&out).contains("a=t,"),
            "after another program had the screen"
        );
    }

    /// A two-frame animation at (0, 0), showing `frame`.
    fn animated(frame: usize) -> Placement {
        let thumb = |v: u8| Thumbnail {
            width: 20,
            height: 20,
            rgba: vec![v; 1600],
        };
        let image = Prepared {
            frames: vec![crate::images::prepared::Frame {
                thumb: thumb(9),
                payload: b"FRAME-2".to_vec(),
            }],
            delays_ms: vec![100, 100],
            ..Prepared::still(thumb(255), b"FRAME-1".to_vec())
        };
        Placement {
            frame,
            id: 7,
            area: Rect::new(0, 0, 4, 2),
            image: Arc::new(image),
        }
    }

    #[test]
    fn a_new_frame_is_drawn_where_the_app_steps_it_and_never_sent_to_kitty_again() {
        let mut sixel = Layer::new(terminal(Graphics::Sixel));
        let mut out = Vec::new();
        sixel.after_draw(&[animated(0)], &mut out);
        assert!(String::from_utf8_lossy(&out).contains("FRAME-1"));
        out.clear();
        sixel.after_draw(&[animated(0)], &mut out);
        assert!(out.is_empty(), "the same frame writes nothing");
        sixel.after_draw(&[animated(1)], &mut out);
        assert!(
            String::from_utf8_lossy(&out).ends_with("FRAME-2"),
            "the next frame in place"
        );

        let mut kitty = Layer::new(terminal(Graphics::Kitty(Route::Direct)));
        out.clear();
        kitty.after_draw(&[animated(0)], &mut out);
        let sent = String::from_utf8_lossy(&out).into_owned();
        assert!(
            sent.contains("a=f,i=7") && sent.contains("s=3,v=1"),
            "frames and the loop: {sent}"
        );
        out.clear();
        kitty.after_draw(&[animated(1)], &mut out);
        assert!(out.is_empty(), "kitty plays it: nothing more is sent");

        let mut still = Layer::new(TerminalImages {
            animate: false,
            ..terminal(Graphics::Kitty(Route::Direct))
        });
        out.clear();
        still.after_draw(&[animated(0)], &mut out);
        assert!(
            !String::from_utf8_lossy(&out).contains("a=f"),
            "animation off: no frames"
        );
    }

    #[test]
    fn half_blocks_write_nothing_here() {
        let mut layer = Layer::new(TerminalImages::blocks());
        assert!(!layer.writes_images());
        let mut out = Vec::new();
        layer.before_draw(&[placement(1, 0)], &mut out);
        layer.after_draw(&[placement(1, 0)], &mut out);
        assert!(out.is_empty());
    }
}
