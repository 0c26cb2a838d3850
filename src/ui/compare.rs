//! Compare: up to four images side by side at the largest size that fits,
//! each with its model, size and quality, and below them what differs:
//! the prompt word by word against the first, then every parameter whose
//! value is not the same for all.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::format::one_line;
use super::panel::panel;
use super::picture::render_picture;
use super::theme::Theme;
use crate::layout::areas::overlay_area;
use crate::layout::areas::screen;
use crate::layout::compare::{layout, shown};
use crate::layout::picture_box::Picture;
use crate::layout::pictures::in_area;
use crate::model::compare::{Compare, Word, differing, word_diff};
use crate::model::{Model, Overlay};
use crate::store::sidecar::SavedImage;

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
            lines.push(Line::from(spans));
            continue;
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
    let rows: Vec<(String, Vec<String>)> = differing(&sidecars)
        .into_iter()
        .map(|(name, values)| {
            (
                name.to_string(),
                values.iter().map(|v| one_line(v)).collect(),
            )
        })
        .collect();
    lines.extend(parameter_table(&rows, theme));
    lines
}

/// The differing parameters as a table: one column per image, each as
/// wide as its widest value, so the values of one image line up.
fn parameter_table(rows: &[(String, Vec<String>)], theme: Theme) -> Vec<Line<'static>> {
    let width = |text: &str| text.chars().count();
    let name_width = rows.iter().map(|(name, _)| width(name)).max().unwrap_or(0) + 2;
    let mut columns: Vec<usize> = Vec::new();
    for (_, values) in rows {
        for (at, value) in values.iter().enumerate() {
            match columns.get_mut(at) {
                Some(widest) => *widest = (*widest).max(width(value)),
                None => columns.push(width(value)),
            }
        }
    }
    rows.iter()
        .map(|(name, values)| {
            let cells: Vec<String> = values
                .iter()
                .zip(&columns)
                .map(|(value, widest)| format!("{value:<widest$}"))
                .collect();
            Line::from(vec![
                Span::styled(format!("{name:<name_width$}"), theme.label()),
                Span::raw(cells.join(" │ ").trim_end().to_string()),
            ])
        })
        .collect()
}
