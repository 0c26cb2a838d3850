//! Thumbnails in the app: which pictures are on screen and where, asking
//! for them, drawing them (half blocks, kitty placeholders), and the image
//! layer erasing what an overlay covers. No terminal, no disk.

use crate::app_common;

use std::sync::Arc;

use app_common::*;
use artty::action::{Action, GalleryResult, JobResult};
use artty::effect::Effect;
use artty::images::graphics::{Graphics, TerminalImages};
use artty::images::kitty::Route;
use artty::images::layer::{Layer, Placement};
use artty::images::prepared::Prepared;
use artty::images::thumbnail::Thumbnail;
use artty::keymap::Command;
use artty::layout::areas::{Areas, inside, overlay_area};
use artty::layout::pictures::{pictures, placements};
use artty::model::jobs::PartialImage;
use artty::model::thumbs::{Shown, Source, ThumbKey};
use artty::model::{Model, Overlay, Panel};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Color;

fn with_images(size: (u16, u16), graphics: Graphics, count: i64) -> Model {
    let mut m = model(size);
    m.session.images = TerminalImages {
        graphics,
        ..TerminalImages::blocks()
    };
    act(
        &mut m,
        Action::Gallery(GalleryResult::Loaded(
            (0..count)
                .map(|i| saved(&format!("picture {i}"), 100 - i))
                .collect(),
        )),
    );
    m
}

/// A flat picture of one colour, as the worker would make it.
fn flat(key: &ThumbKey, graphics: Graphics, rgb: [u8; 3]) -> Arc<Prepared> {
    let (w, h) = (key.size.width.min(64), key.size.height.min(64));
    let rgba = (0..w * h)
        .flat_map(|_| [rgb[0], rgb[1], rgb[2], 255])
        .collect();
    let pixels = Thumbnail {
        width: w,
        height: h,
        rgba,
    };
    Arc::new(Prepared::from_pixels(&pixels, key.size, graphics).unwrap())
}

/// Makes every thumbnail on screen ready, in one flat colour, as the
/// worker would report them.
fn complete_on_screen(m: &mut Model, rgb: [u8; 3]) {
    let graphics = m.session.images.graphics;
    for picture in pictures(m) {
        let image = flat(&picture.key, graphics, rgb);
        act(
            m,
            Action::Gallery(GalleryResult::ThumbnailMade {
                key: picture.key,
                result: Ok(image),
            }),
        );
    }
}

fn asked(effects: &[Effect]) -> Vec<ThumbKey> {
    effects
        .iter()
        .flat_map(|e| match e {
            Effect::MakeThumbnails(r) => r.iter().map(|r| r.key.clone()).collect(),
            _ => Vec::new(),
        })
        .collect()
}

#[test]
fn the_grid_asks_for_what_is_on_screen_once_and_drops_what_scrolled_away() {
    let mut m = model((120, 40));
    m.session.images = TerminalImages::blocks();
    let effects = act(
        &mut m,
        Action::Gallery(GalleryResult::Loaded(
            (0..40).map(|i| saved("p", 100 - i)).collect(),
        )),
    );
    let first = asked(&effects);
    let on_screen = pictures(&m).len();
    assert_eq!(
        first.len(),
        on_screen,
        "every picture on screen, nothing else"
    );
    assert!(
        on_screen >= 3,
        "a grid of tiles and the preview: {on_screen}"
    );
    assert!(
        asked(&act(&mut m, Action::Tick)).is_empty(),
        "nothing changed: nothing asked again"
    );

    press(&mut m, key(KeyCode::Tab));
    press(&mut m, key(KeyCode::Tab));
    assert_eq!(m.focus, Panel::Gallery);
    let mut asked_later = Vec::new();
    for _ in 0..6 {
        asked_later.extend(asked(&press(&mut m, key(KeyCode::Down))));
    }
    assert!(!asked_later.is_empty(), "new tiles came into view");
    assert!(
        !m.thumbs.asked.contains(&first[0]),
        "the first tile scrolled away and its request was dropped"
    );
}

#[test]
fn scrolling_moves_one_row_not_a_page() {
    let mut m = with_images((120, 40), Graphics::Blocks, 40);
    m.focus = Panel::Gallery;
    m.editing = false;
    let grid = artty::layout::pictures::gallery_grid(&m).unwrap();
    for _ in 0..grid.rows {
        press(&mut m, key(KeyCode::Down));
    }
    assert_eq!(m.gallery.selected, grid.rows * grid.columns);
    assert_eq!(m.gallery.top_row, 1, "one row scrolled");
    press(&mut m, key(KeyCode::Right));
    assert_eq!(m.gallery.selected, grid.rows * grid.columns + 1);
}

#[test]
fn pictures_never_leave_their_panel() {
    for graphics in [
        Graphics::Blocks,
        Graphics::Sixel,
        Graphics::Kitty(Route::Direct),
    ] {
        for size in [
            (80, 24),
            (100, 30),
            (120, 40),
            (160, 48),
            (203, 61),
            (90, 50),
        ] {
            for selected in [0, 7, 29] {
                let mut m = with_images(size, graphics, 30);
                m.gallery.selected = selected;
                act(&mut m, Action::Tick);
                let areas = Areas::of(&m);
                let panels = [inside(areas.gallery), inside(areas.preview)];
                for p in pictures(&m) {
                    assert!(
                        panels.iter().any(|panel| panel.union(p.area) == *panel),
                        "{graphics:?} {size:?}: {:?} outside {panels:?}",
                        p.area
                    );
                }
                m.overlay = Some(Overlay::Details { scroll: 0 });
                let inner = inside(overlay_area(
                    m.overlay.as_ref().unwrap(),
                    Rect::new(0, 0, size.0, size.1),
                ));
                for p in pictures(&m) {
                    assert_eq!(
                        inner.union(p.area),
                        inner,
                        "full-size preview stays in its box"
                    );
                }
            }
        }
    }
}

#[test]
fn half_blocks_draw_the_thumbnail_in_its_tile() {
    let mut m = with_images((100, 30), Graphics::Blocks, 3);
    complete_on_screen(&mut m, [200, 40, 40]);
    let first = &pictures(&m)[0];
    assert!(matches!(m.thumbs.shown(&first.key), Shown::Ready(_)));
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|frame| artty::ui::render(&m, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let centre = (
        first.area.x + first.area.width / 2,
        first.area.y + first.area.height / 2,
    );
    assert_eq!(buffer[centre].symbol(), "▀");
    assert_eq!(buffer[centre].fg, Color::Rgb(200, 40, 40));
    insta::assert_snapshot!("grid_blocks_100x30", screen(&m));
}

#[test]
fn inside_tmux_kitty_images_are_placeholder_cells_naming_the_image() {
    let mut m = with_images((100, 30), Graphics::Kitty(Route::Tmux), 1);
    let picture = pictures(&m).remove(0);
    let image = flat(&picture.key, Graphics::Kitty(Route::Tmux), [1, 2, 3]);
    act(
        &mut m,
        Action::Gallery(GalleryResult::ThumbnailMade {
            key: picture.key.clone(),
            result: Ok(image),
        }),
    );
    let Shown::Ready(ready) = m.thumbs.shown(&picture.key) else {
        panic!("ready")
    };
    let id = ready.id;
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|frame| artty::ui::render(&m, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let cells: Vec<_> = buffer
        .content()
        .iter()
        .filter(|c| c.symbol().starts_with('\u{10EEEE}'))
        .collect();
    assert!(!cells.is_empty());
    let (r, g, b) = artty::images::kitty::id_colour(id);
    assert!(cells.iter().all(|c| c.fg == Color::Rgb(r, g, b)));
    // The help overlay covers them: its cells replace the placeholders.
    act(&mut m, Action::Run(Command::Help));
    terminal.draw(|frame| artty::ui::render(&m, frame)).unwrap();
    let help = overlay_area(m.overlay.as_ref().unwrap(), Rect::new(0, 0, 100, 30));
    let under_help = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            let (x, y) = ((*i % 100) as u16, (*i / 100) as u16);
            help.contains((x, y).into()) && c.symbol().starts_with('\u{10EEEE}')
        })
        .count();
    assert_eq!(under_help, 0);
}

fn frame(layer: &mut Layer, placements: &[Placement]) -> Vec<u8> {
    let mut out = Vec::new();
    layer.before_draw(placements, &mut out);
    layer.after_draw(placements, &mut out);
    out
}

fn ready_model(graphics: Graphics) -> Model {
    let mut m = with_images((120, 40), graphics, 6);
    complete_on_screen(&mut m, [9, 9, 9]);
    m
}

#[test]
fn sixel_images_under_a_popup_are_erased_and_come_back_after() {
    let mut m = ready_model(Graphics::Sixel);
    let terminal = TerminalImages {
        graphics: Graphics::Sixel,
        ..TerminalImages::blocks()
    };
    let mut layer = Layer::new(terminal);
    let shown_first = frame(&mut layer, &placements(&m));
    assert!(String::from_utf8_lossy(&shown_first).contains("\x1bP0;1;0q"));
    let all = layer.shown();
    assert!(
        frame(&mut layer, &placements(&m)).is_empty(),
        "an unchanged frame writes nothing"
    );

    act(&mut m, Action::Run(Command::Help));
    let erased = frame(&mut layer, &placements(&m));
    let text = String::from_utf8_lossy(&erased);
    assert!(
        text.contains("\x1b[0m\x1b["),
        "blanked with spaces: {text:.80}"
    );
    assert!(layer.shown().len() < all.len(), "covered images are gone");
    let help = overlay_area(m.overlay.as_ref().unwrap(), Rect::new(0, 0, 120, 40));
    assert!(
        placements(&m)
            .iter()
            .all(|p| p.area.intersection(help).is_empty())
    );

    act(&mut m, Action::Run(Command::Close));
    let back = frame(&mut layer, &placements(&m));
    assert!(String::from_utf8_lossy(&back).contains("\x1bP0;1;0q"));
    assert_eq!(layer.shown(), all);
}

#[test]
fn kitty_images_are_hidden_by_id_and_shown_again_by_placement_only() {
    let mut m = ready_model(Graphics::Kitty(Route::Direct));
    let terminal = TerminalImages {
        graphics: Graphics::Kitty(Route::Direct),
        ..TerminalImages::blocks()
    };
    let mut layer = Layer::new(terminal);
    let first = frame(&mut layer, &placements(&m));
    assert!(String::from_utf8_lossy(&first).contains("a=t,f=100"));
    act(&mut m, Action::Run(Command::Help));
    let hidden = String::from_utf8_lossy(&frame(&mut layer, &placements(&m))).to_string();
    assert!(hidden.contains("a=d,d=i"), "{hidden}");
    act(&mut m, Action::Run(Command::Close));
    let again = frame(&mut layer, &placements(&m));
    let text = String::from_utf8_lossy(&again);
    assert!(!text.contains("a=t"), "data is not sent twice");
    assert!(text.contains("a=p"));
    let shown = layer.shown().len();
    assert!(
        again.len() <= 64 * shown,
        "{} bytes for {shown} placements",
        again.len()
    );

    let mut out = Vec::new();
    layer.forget_unless(|_| false, &mut out);
    assert!(
        String::from_utf8_lossy(&out).contains("a=d,d=I"),
        "evicted images are freed"
    );
}

#[test]
fn a_streaming_jobs_partial_image_shows_in_its_tile() {
    let mut m = with_images((120, 40), Graphics::Blocks, 2);
    let id = job(
        &mut m,
        "a fox",
        3,
        running(artty::model::jobs::Stage::Receiving),
    );
    m.gallery.selected = 0;
    let pixels = Arc::new(Thumbnail {
        width: 8,
        height: 8,
        rgba: vec![255; 256],
    });
    let effects = act(
        &mut m,
        Action::Job(JobResult::PartialImage {
            id,
            image: PartialImage { index: 1, pixels },
        }),
    );
    let keys = asked(&effects);
    assert!(
        keys.iter()
            .any(|k| k.source == Source::Partial { job: id, index: 1 }),
        "{keys:?}"
    );
    let requested = effects.iter().any(|e| matches!(e, Effect::MakeThumbnails(r) if r.iter().any(|r| matches!(r.from, artty::effect::ThumbnailFrom::Pixels(_)))));
    assert!(requested, "made from the pixels in memory");
}

#[test]
fn the_full_size_preview_pages_through_entries_and_hides_its_details() {
    let mut m = with_images((120, 40), Graphics::Blocks, 5);
    m.focus = Panel::Gallery;
    m.editing = false;
    press(&mut m, key(KeyCode::Enter));
    assert!(matches!(m.overlay, Some(Overlay::Details { .. })));
    let wide = pictures(&m).remove(0).area;
    press(&mut m, key(KeyCode::Char('i')));
    let alone = pictures(&m).remove(0).area;
    assert!(
        alone.width > wide.width,
        "without details the picture takes the width"
    );
    press(&mut m, key(KeyCode::Right));
    assert_eq!(m.gallery.selected, 1);
    assert!(
        matches!(m.overlay, Some(Overlay::Details { .. })),
        "still in the preview"
    );
    press(&mut m, key(KeyCode::Left));
    assert_eq!(m.gallery.selected, 0);
    press(&mut m, key(KeyCode::Char('i')));
    // Two moves at one instant are a burst: the picture waits for a rest.
    m.now += artty::model::settle::REST;
    act(&mut m, Action::Rested);
    insta::assert_snapshot!("preview_loading_120x40", screen(&m));
}

fn selected_path(m: &Model) -> std::path::PathBuf {
    let image = m.gallery.listed_image(m.gallery.selected);
    image.expect("an image is selected").path.clone()
}

/// A held key passes over entries nobody looks at: their previews are
/// neither made nor drawn; the one the selection rests on is, once the
/// loop's `Rested` comes.
#[test]
fn the_preview_waits_while_the_selection_moves_in_a_burst() {
    let mut m = with_images((160, 48), Graphics::Sixel, 12);
    m.focus = Panel::Gallery;
    m.editing = false;
    let preview = |m: &Model| {
        let grid = artty::layout::pictures::gallery_grid(m).expect("a grid");
        pictures(m).len() > grid.page().min(12)
    };
    assert!(preview(&m), "the selection's picture beside the grid");
    let size = pictures(&m).last().unwrap().key.size;
    let tile = pictures(&m)[0].key.size;
    assert_ne!(size, tile, "the preview's box tells its requests apart");
    let asks_for = |effects: &[Effect], path: &std::path::Path| {
        effects.iter().any(|e| matches!(e, Effect::MakeThumbnails(r)
            if r.iter().any(|r| r.key.size == size && matches!(&r.key.source, Source::Saved(p) if p == path))))
    };
    m.now += std::time::Duration::from_secs(1);
    press(&mut m, key(KeyCode::Right));
    assert!(preview(&m), "a lone move shows its preview at once");
    for step in 0..3 {
        m.now += std::time::Duration::from_millis(30);
        let effects = press(&mut m, key(KeyCode::Right));
        assert!(!preview(&m), "move {step} of a burst: no preview");
        let passed = selected_path(&m);
        assert!(
            !asks_for(&effects, &passed),
            "none is made for an entry passed over"
        );
    }
    let rests_at = m
        .gallery
        .settle
        .due()
        .expect("the loop is told when to wake");
    assert_eq!(rests_at, m.now + artty::model::settle::REST);
    m.now = rests_at;
    assert!(
        !preview(&m),
        "the clock alone does not show it: Rested does"
    );
    let effects = act(&mut m, Action::Rested);
    assert!(preview(&m), "rested: the preview follows");
    let selected = selected_path(&m);
    assert!(
        asks_for(&effects, &selected),
        "and its picture is asked for: {effects:?}"
    );
}
