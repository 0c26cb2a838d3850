//! Everything about one gallery entry: full prompt, revised prompt, every
//! parameter, files, usage; for a failed job, the whole error. Drawn in
//! the preview pane (wide terminals) and in the details overlay.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::panel::overlay;
use super::picture::render_picture;
use super::theme::Theme;
use crate::api::ImageParams;
use crate::keymap::{Command, Context};
use crate::layout::areas::overlay_area;
use crate::layout::picture_box::Picture;
use crate::layout::pictures::{details_split, in_area};
use crate::model::Model;
use crate::model::Overlay;
use crate::model::gallery::Row;
use crate::model::jobs::{Job, JobState};
use crate::store::sidecar::SavedImage;
use crate::util::inert::inert;

const LONG: usize = 40_000;

pub fn render_details(
    model: &Model,
    pictures: &[Picture],
    theme: Theme,
    scroll: u16,
    frame: &mut Frame,
) {
    let overlay_box = Overlay::Details { scroll };
    let area = overlay_area(&overlay_box, frame.area());
    let keys = &model.keymap;
    let title = format!(
        "Preview · {}{} previous/next · {} details · {} closes",
        keys.key(Context::Details, Command::Left),
        keys.key(Context::Details, Command::Right),
        keys.key(Context::Details, Command::ToggleInfo),
        keys.global(Command::Close),
    );
    let inner = overlay(frame, area, &title, theme);
    let Some(row) = model.gallery.selected_row(&model.jobs) else {
        return;
    };
    let (picture, info) = details_split(model, inner);
    if let Some(picture) = picture.and_then(|at| in_area(pictures, at)) {
        render_picture(model, picture, theme, frame);
    }
    if let Some(info) = info {
        frame.render_widget(
            Paragraph::new(entry_lines(model, row, theme))
                .wrap(Wrap { trim: false })
                .scroll((scroll, 0)),
            info,
        );
    }
}

pub fn entry_lines(model: &Model, row: Row, theme: Theme) -> Vec<Line<'static>> {
    match row {
        Row::Image(image) => image_lines(model, image, theme),
        Row::Job(job) => job_lines(job, theme),
    }
}

fn field(name: &str, value: String, theme: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name}: "), theme.label()),
        Span::raw(value),
    ])
}

/// Multi-line text, each line made safe to draw.
fn block(name: &str, text: &str, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(format!("{name}:"), theme.label())];
    lines.extend(
        text.lines()
            .map(|l| Line::from(format!("  {}", inert(l, LONG)))),
    );
    lines
}

fn image_lines(model: &Model, image: &SavedImage, theme: Theme) -> Vec<Line<'static>> {
    let s = &image.sidecar;
    let when = s.created.to_zoned(model.session.time_zone.clone());
    let mut lines = block("Prompt", s.prompt.as_deref().unwrap_or("(none)"), theme);
    if let Some(revised) = &s.revised_prompt {
        lines.extend(block("Revised prompt", revised, theme));
    }
    lines.push(Line::default());
    lines.push(field(
        "Image",
        format!(
            "{}x{} {}, {} bytes",
            s.width,
            s.height,
            s.format.label(),
            s.bytes
        ),
        theme,
    ));
    lines.push(field(
        "File",
        inert(&image.path.display().to_string(), LONG),
        theme,
    ));
    lines.push(field(
        "Sidecar",
        inert(&image.sidecar_path.display().to_string(), LONG),
        theme,
    ));
    lines.push(field(
        "Created",
        when.strftime("%Y-%m-%d %H:%M:%S %Z").to_string(),
        theme,
    ));
    lines.push(field("Server", inert(&s.server, 200), theme));
    if let Some(id) = &s.request_id {
        lines.push(field("Request id", inert(id, 200), theme));
    }
    if let Some(usage) = &s.response.usage {
        lines.push(field("Usage", inert(&usage_text(usage), 400), theme));
    }
    lines.push(field("Cost", cost_text(s.cost), theme));
    if let Some(group) = &s.group {
        let kind = match group.kind {
            crate::store::sidecar::GroupKind::Sweep => "Sweep",
            crate::store::sidecar::GroupKind::Batch => "Batch",
        };
        let item = group
            .item
            .as_deref()
            .map(|i| format!(" · {i}"))
            .unwrap_or_default();
        lines.push(field(
            kind,
            inert(&format!("{}{item}", group.id), 200),
            theme,
        ));
    }
    if let Some(from) = &s.reused_from {
        lines.push(field("Reused from", inert(from, LONG), theme));
    }
    lines.extend(lineage_lines(s, theme));
    lines.push(Line::default());
    lines.extend(param_lines(&s.params, theme));
    lines
}

fn cost_text(cost: Option<crate::api::cost::Cost>) -> String {
    use crate::api::cost::CostBasis;
    match cost {
        None => "unknown (no price for this model or server)".into(),
        Some(c) => {
            let basis = match c.basis {
                CostBasis::Usage => "from the tokens used",
                CostBasis::PerImage => "per-image price",
                CostBasis::Free => "demo server, free",
            };
            format!("{} ({basis})", crate::model::costs::money(c.usd))
        }
    }
}

/// "Edit of …" with each source numbered as the prompt names them, and
/// the mask; `p` goes to the first source that is in the gallery.
fn lineage_lines(s: &crate::store::sidecar::Sidecar, theme: Theme) -> Vec<Line<'static>> {
    if s.sources.is_empty() {
        return Vec::new();
    }
    let what = match s.endpoint {
        crate::api::Endpoint::Variations => "Variation of (p goes there)",
        _ => "Edit of (p goes there, r repeats the edit)",
    };
    let mut lines = vec![
        Line::default(),
        Line::styled(format!("{what}:"), theme.label()),
    ];
    for (i, source) in s.sources.iter().enumerate() {
        let name = super::format::file_name(std::path::Path::new(&source.path), 200);
        lines.push(Line::from(format!(
            "  {} {} ({}x{} {})",
            i + 1,
            name,
            source.width,
            source.height,
            inert(&source.format, 10)
        )));
    }
    if let Some(mask) = &s.mask {
        lines.push(field("Mask", inert(&mask.path, LONG), theme));
    }
    lines
}

fn job_lines(job: &Job, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = block("Prompt", job.prompt(), theme);
    lines.push(Line::default());
    match &job.state {
        JobState::Running(stage) => lines.push(field("Stage", stage.label(), theme)),
        JobState::Failed(failure) => {
            lines.push(Line::styled("Failed:", theme.error()));
            lines.extend(block("What to do", &failure.headline, theme));
            // Only what the headline does not already say.
            let said: Vec<&str> = failure
                .detail
                .lines()
                .filter(|l| !l.trim().is_empty() && !failure.headline.contains(l.trim()))
                .collect();
            if !said.is_empty() {
                lines.extend(block("What the server said", &said.join("\n"), theme));
            }
            if let Some(unsaved) = &failure.kept {
                lines.push(Line::styled(
                    format!(
                        "{} image(s) are kept in memory, not in the gallery: retry saves them; quitting puts them in $TMPDIR/artty-rescued-….",
                        unsaved.generation.images.len()
                    ),
                    theme.warning(),
                ));
            }
            if failure.may_be_billed {
                lines.push(Line::styled(
                    "The request reached the server: it may have been billed.",
                    theme.warning(),
                ));
            }
        }
        JobState::Interrupted {
            started,
            sent,
            stopped_by,
        } => {
            let by = stopped_by
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            lines.push(Line::styled(
                format!("Interrupted: artty stopped{by} while this request was in flight."),
                theme.warning(),
            ));
            lines.push(field("Started", started.clone(), theme));
            lines.push(field(
                "Sent",
                if *sent {
                    "yes: it may have been billed".into()
                } else {
                    "no".into()
                },
                theme,
            ));
        }
    }
    lines.push(Line::default());
    lines.extend(param_lines(&job.params, theme));
    lines
}

/// Every parameter that was (or will be) sent, prompt aside.
fn param_lines(params: &ImageParams, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("Parameters:", theme.label())];
    let value = serde_json::to_value(params).unwrap_or_default();
    if let Some(map) = value.as_object() {
        for (name, value) in map.iter().filter(|(n, _)| *n != "prompt") {
            let text = value
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| value.to_string());
            lines.push(Line::from(format!("  {name} = {}", inert(&text, 200))));
        }
    }
    lines
}

/// `input_tokens 50 · output_tokens 4160`, from whatever numbers the server sent.
fn usage_text(usage: &serde_json::Value) -> String {
    match usage.as_object() {
        Some(map) => map
            .iter()
            .filter(|(_, v)| v.is_number())
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(" · "),
        None => usage.to_string(),
    }
}
