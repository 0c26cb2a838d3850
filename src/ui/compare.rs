//! Compare: up to four images side by side at the largest size that fits,
//! each with its model, size and quality, and below them what differs:
//! the prompt word by word against the first, then every parameter whose
//! value is not the same for all.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::format::one_line;
use super::layout::{inside, overlay_area};
use super::panel::panel;
use super::picture::render_picture;
use super::pictures::{Picture, in_area, pixel_box};
use super::theme::Theme;
use crate::model::compare::{Compare, Word, differing, word_diff};
use crate::model::thumbs::{Source, ThumbKey};
use crate::model::{Model, Overlay};
use crate::store::gallery::SavedImage;

fn screen(model: &Model) -> Rect {
    Rect::new(0, 0, model.size.0, model.size.1)
}

/// The images shown now, found in the gallery.
fn shown<'a>(model: &'a Model, compare: &Compare) -> Vec<&'a SavedImage> {
    compare
        .shown()
        .iter()
        .filter_map(|p| model.gallery.image(p))
        .collect()
}

/// Lines the differences take, at most a third of the inside.
fn differences_height(inner: Rect, rows: usize) -> u16 {
    (rows as u16 + 2).min(inner.height / 3).max(3)
}

/// Each image's picture area and caption line.
fn tiles(inner: Rect, count: usize, below: u16) -> Vec<(Rect, Rect)> {
    let count = count.max(1) as u16;
    let width = inner.width / count;
    let height = inner.height.saturating_sub(below + 1);
    (0..count)
        .map(|i| {
            let x = inner.x + i * width;
            (
                Rect::new(x, inner.y, width.saturating_sub(1), height),
                Rect::new(x, inner.y + height, width.saturating_sub(1), 1),
            )
        })
        .collect()
}

fn layout(model: &Model, compare: &Compare) -> (Vec<(Rect, Rect)>, Rect) {
    let inner = inside(overlay_area(
        &Overlay::Compare(compare.clone()),
        screen(model),
    ));
    let images = shown(model, compare);
    let sidecars: Vec<_> = images.iter().map(|i| &i.sidecar).collect();
    let rows = images.len().saturating_sub(1) + differing(&sidecars).len() + 1;
    let below = differences_height(inner, rows);
    let tiles = tiles(inner, images.len(), below);
    let text = Rect::new(
        inner.x,
        inner.y + inner.height.saturating_sub(below),
        inner.width,
        below,
    );
    (tiles, text)
}

/// The pictures compare shows.
pub fn pictures(model: &Model) -> Vec<Picture> {
    let Some(Overlay::Compare(compare)) = &model.overlay else {
        return Vec::new();
    };
    let (tiles, _) = layout(model, compare);
    shown(model, compare)
        .iter()
        .zip(tiles)
        .filter(|(_, (area, _))| area.width > 0 && area.height > 0)
        .map(|(image, (area, _))| Picture {
            key: ThumbKey {
                source: Source::Saved(image.path.clone()),
                size: pixel_box(model, area),
            },
            area,
        })
        .collect()
}

pub fn render_compare(
    model: &Model,
    compare: &Compare,
    pictures: &[Picture],
    theme: Theme,
    frame: &mut Frame,
) {
    let area = overlay_area(&Overlay::Compare(compare.clone()), screen(model));
    frame.render_widget(Clear, area);
    let images = shown(model, compare);
    let page = if compare.pages() > 1 {
        format!(" · page {}/{} (←/→)", compare.page + 1, compare.pages())
    } else {
        String::new()
    };
    let title = format!("Compare · {} images{page}", compare.paths.len());
    panel(frame, area, &title, true, theme);
    let (tiles, text) = layout(model, compare);
    for (n, (image, (picture, caption))) in images.iter().zip(&tiles).enumerate() {
        if let Some(p) = in_area(pictures, *picture) {
            render_picture(model, p, theme, frame);
        }
        let s = &image.sidecar;
        let label = format!(
            "{} {} {}x{} {}",
            compare.page * crate::model::compare::PER_PAGE + n + 1,
            s.model,
            s.width,
            s.height,
            s.params.quality.as_deref().unwrap_or("")
        );
        frame.render_widget(
            Paragraph::new(Line::styled(one_line(&label), theme.label())),
            *caption,
        );
    }
    frame.render_widget(
        Paragraph::new(difference_lines(&images, theme)).wrap(Wrap { trim: false }),
        text,
    );
}

fn difference_lines(images: &[&SavedImage], theme: Theme) -> Vec<Line<'static>> {
    let Some(first) = images.first() else {
        return Vec::new();
    };
    let prompt = |i: &SavedImage| one_line(i.sidecar.prompt.as_deref().unwrap_or(""));
    let base = prompt(first);
    let mut lines = vec![Line::from(vec![
        Span::styled("1 ", theme.label()),
        Span::raw(base.clone()),
    ])];
    for (n, image) in images.iter().enumerate().skip(1) {
        let mut spans = vec![Span::styled(format!("{} ", n + 1), theme.label())];
        let words = word_diff(&base, &prompt(image));
        if words.iter().all(|w| matches!(w, Word::Same(_))) {
            spans.push(Span::styled("same prompt", theme.dim()));
        }
        for word in words {
            spans.push(match word {
                Word::Same(w) => Span::styled(format!("{w} "), theme.dim()),
                Word::Added(w) => Span::styled(format!("+{w} "), theme.good()),
                Word::Removed(w) => Span::styled(format!("-{w} "), theme.error()),
            });
        }
        lines.push(Line::from(spans));
    }
    let sidecars: Vec<_> = images.iter().map(|i| &i.sidecar).collect();
    for (name, values) in differing(&sidecars) {
        lines.push(Line::from(vec![
            Span::styled(format!("{name:<11}"), theme.label()),
            Span::raw(one_line(&values.join("  │  "))),
        ]));
    }
    lines
}
