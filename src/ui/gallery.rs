//! The gallery list: jobs on top (spinner, elapsed time, stage; failed and
//! interrupted ones with their reason), then saved images newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::format::{elapsed, one_line, spinner};
use super::panel::panel;
use super::picture::render_picture;
use super::theme::Theme;
use crate::keymap::{Command, Context};
use crate::layout::areas::gallery_offset;
use crate::layout::areas::list_and_search;
use crate::layout::grid::Grid;
use crate::layout::picture_box::Picture;
use crate::layout::pictures::{gallery_grid, in_area};
use crate::model::gallery::Row;
use crate::model::jobs::{Job, JobState};
use crate::model::{Model, Panel};
use crate::store::sidecar::SavedImage;

pub fn render_gallery(
    model: &Model,
    pictures: &[Picture],
    theme: Theme,
    area: Rect,
    frame: &mut Frame,
) {
    if area.height < 3 {
        return;
    }
    let focused = model.focus == Panel::Gallery && model.overlay.is_none();
    let inner = panel(frame, area, &title(model), focused, theme);
    let (inner, search) = list_and_search(model, inner);
    if let Some(line) = search {
        frame.render_widget(Paragraph::new(search_line(model, theme)), line);
    }
    let total = model.gallery.len(&model.jobs);
    if total == 0 {
        frame.render_widget(Paragraph::new(empty_text(model, theme)), inner);
        return;
    }
    if let Some(grid) = gallery_grid(model) {
        render_grid(model, &grid, pictures, theme, focused, frame);
        return;
    }
    let visible = usize::from(inner.height);
    let offset = gallery_offset(model.gallery.selected, visible);
    let lines: Vec<Line> = (offset..total.min(offset + visible))
        .filter_map(|at| {
            let row = model.gallery.row(&model.jobs, at)?;
            let selected = at == model.gallery.selected;
            // The marker shows the selection without colour or reverse video.
            let mut line = row_line(model, row, theme);
            line.spans
                .insert(0, Span::raw(if selected { "›" } else { " " }));
            Some(if focused && selected {
                line.patch_style(theme.selected())
            } else {
                line
            })
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Thumbnails with a caption each; jobs without a partial image show their
/// stage in the picture's place.
fn render_grid(
    model: &Model,
    grid: &Grid,
    pictures: &[Picture],
    theme: Theme,
    focused: bool,
    frame: &mut Frame,
) {
    let first = grid.top_row(model.gallery.top_row, model.gallery.selected) * grid.columns;
    for slot in 0..grid.page() {
        let at = first + slot;
        let Some(row) = model.gallery.row(&model.jobs, at) else {
            break;
        };
        let (area, caption) = grid.tile(slot);
        match in_area(pictures, area) {
            Some(picture) => render_picture(model, picture, theme, frame),
            None => render_tile_text(model, row, area, theme, frame),
        }
        let selected = at == model.gallery.selected;
        let mut line = caption_line(model, row, theme);
        line.spans
            .insert(0, Span::raw(if selected { "›" } else { " " }));
        if selected && focused {
            line = line.patch_style(theme.selected());
        }
        frame.render_widget(Paragraph::new(line), caption);
    }
}

fn search_line(model: &Model, theme: Theme) -> Line<'static> {
    let gallery = &model.gallery;
    let typing = gallery.searching.is_some();
    let mut spans = vec![Span::styled("/", theme.key())];
    if typing {
        let (before, after) = gallery.search_field.split();
        spans.push(Span::raw(one_line(before)));
        spans.push(Span::styled("▏", theme.key()));
        spans.push(Span::raw(one_line(after)));
    } else {
        spans.push(Span::raw(one_line(&gallery.query.text)));
    }
    let found = gallery.listed();
    spans.push(Span::styled(
        format!("  {found} found"),
        if found == 0 {
            theme.warning()
        } else {
            theme.dim()
        },
    ));
    if let Some(problem) = gallery.query.problems.first() {
        spans.push(Span::styled(
            format!("  {}", one_line(problem)),
            theme.warning(),
        ));
    } else if typing {
        spans.push(Span::styled(
            format!(
                "  {} keeps · {}",
                model.keymap.key(Context::Search, Command::Choose),
                model.keymap.global(Command::Close)
            ),
            theme.dim(),
        ));
    }
    Line::from(spans)
}

/// ★ for a favourite, ● for an image marked for compare and export.
fn badges(model: &Model, image: &SavedImage) -> String {
    let mut out = String::new();
    if model.gallery.is_marked(&image.path) {
        out.push('●');
    }
    if image.sidecar.favourite {
        out.push('★');
    }
    out
}

fn caption_line(model: &Model, row: Row, theme: Theme) -> Line<'static> {
    match row {
        // The prompt first: it is what tells tiles apart (the date is in
        // the preview beside the gallery).
        Row::Image(image) => Line::from(vec![
            Span::styled(badges(model, image), theme.warning()),
            Span::raw(one_line(
                image.sidecar.prompt.as_deref().unwrap_or("(variation)"),
            )),
        ]),
        Row::Job(job) => match &job.state {
            JobState::Running(stage) => Line::styled(
                format!("{} {}", spinner(model.spinner), stage.label()),
                theme.running(),
            ),
            JobState::Failed(failure) if failure.kept.is_some() => {
                Line::styled("✗ not saved, kept".to_string(), theme.error())
            }
            JobState::Failed(_) => Line::styled("✗ failed".to_string(), theme.error()),
            JobState::Interrupted { .. } => {
                Line::styled("! interrupted".to_string(), theme.warning())
            }
        },
    }
}

/// A job's tile before any picture: what it is doing, or why it failed.
fn render_tile_text(model: &Model, row: Row, area: Rect, theme: Theme, frame: &mut Frame) {
    if !matches!(row, Row::Job(_)) {
        return;
    }
    // The row line already ends with the prompt: it is not repeated.
    let lines = vec![row_line(model, row, theme)];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

fn title(model: &Model) -> String {
    let gallery = &model.gallery;
    let images = gallery.reading.unwrap_or(gallery.images.len());
    let running = model.jobs.running();
    let mut title = if gallery.query.is_empty() {
        format!(
            "Gallery · {images} image{}",
            if images == 1 { "" } else { "s" }
        )
    } else {
        format!("Gallery · {} of {images}", gallery.listed())
    };
    if gallery.sort != crate::model::search::Sort::Newest {
        title.push_str(&format!(" · {}", gallery.sort.label()));
    }
    if !gallery.marked.is_empty() {
        title.push_str(&format!(" · {} marked", gallery.marked.len()));
    }
    if running > 0 {
        title.push_str(&format!(" · {running} running"));
    }
    title
}

fn empty_text(model: &Model, theme: Theme) -> Vec<Line<'static>> {
    if !model.gallery.query.is_empty() {
        return vec![
            Line::from(" Nothing matches the search."),
            Line::styled(
                format!(" {} clears it.", model.keymap.global(Command::Close)),
                theme.dim(),
            ),
        ];
    }
    if !model.gallery.loaded && model.gallery.reading.is_none() {
        return vec![Line::styled(" Reading the gallery…", theme.dim())];
    }
    vec![
        Line::from(" No images yet."),
        Line::styled(
            format!(
                " Write a prompt, then press {}.",
                model.keymap.global(Command::Generate)
            ),
            theme.dim(),
        ),
    ]
}

pub fn row_line(model: &Model, row: Row, theme: Theme) -> Line<'static> {
    match row {
        Row::Job(job) => job_line(model, job, theme),
        Row::Image(image) => image_line(model, image, theme),
    }
}

fn job_line(model: &Model, job: &Job, theme: Theme) -> Line<'static> {
    let prompt = one_line(job.prompt());
    let (head, style) = match &job.state {
        JobState::Running(stage) => (
            format!(
                "{} {:>6} {}",
                spinner(model.spinner),
                elapsed(job.elapsed(model.now)),
                stage.label()
            ),
            theme.running(),
        ),
        JobState::Failed(failure) => {
            let head = if failure.kept.is_some() {
                "✗ not saved (kept in memory): "
            } else {
                "✗ failed: "
            };
            return Line::from(vec![
                Span::styled(head, theme.error()),
                Span::raw(one_line(&failure.headline)),
            ]);
        }
        JobState::Interrupted { sent, .. } => (
            if *sent {
                "! interrupted, may be billed".to_string()
            } else {
                "! interrupted before sending".to_string()
            },
            theme.warning(),
        ),
    };
    Line::from(vec![
        Span::styled(head, style),
        Span::raw(format!("  {prompt}")),
    ])
}

fn image_line(model: &Model, image: &SavedImage, theme: Theme) -> Line<'static> {
    let sidecar = &image.sidecar;
    let when = sidecar
        .created
        .to_zoned(model.session.time_zone.clone())
        .strftime("%m-%d %H:%M")
        .to_string();
    let prompt = one_line(sidecar.prompt.as_deref().unwrap_or("(variation)"));
    Line::from(vec![
        Span::styled(badges(model, image), theme.warning()),
        Span::styled(format!("✓ {when} "), theme.dim()),
        Span::styled(
            format!("{:>9} ", format!("{}x{}", sidecar.width, sidecar.height)),
            theme.label(),
        ),
        Span::raw(prompt),
    ])
}
