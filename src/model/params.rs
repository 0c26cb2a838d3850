//! The parameters of the next request: a model, then only the parameters
//! that model takes, each with only the values it accepts. Unset means
//! "the server's default" and is not sent. The last values used with each
//! model are remembered.

use std::collections::BTreeMap;

use crate::api::request::SvgOptions;
use crate::api::validate::{Violation, check_size};
use crate::api::{Catalog, ImageParams, ImageRequest, ModelSpec, Target, validate};

/// One row of the parameters panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Model,
    Size,
    Quality,
    Style,
    Count,
    ResponseFormat,
    Background,
    OutputFormat,
    Compression,
    Moderation,
    InputFidelity,
    Stream,
    PartialImages,
    Complexity,
    Frames,
    FrameMs,
    SvgModel,
    SvgEffort,
}

impl Field {
    /// The row's label, and the request parameter it sets as validation
    /// names it: one table, so the two never drift apart.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Field::Model => ("model", "model"),
            Field::Size => ("size", "size"),
            Field::Quality => ("quality", "quality"),
            Field::Style => ("style", "style"),
            Field::Count => ("n", "n"),
            Field::ResponseFormat => ("response format", "response_format"),
            Field::Background => ("background", "background"),
            Field::OutputFormat => ("output format", "output_format"),
            Field::Compression => ("compression", "output_compression"),
            Field::Moderation => ("moderation", "moderation"),
            Field::InputFidelity => ("input fidelity", "input_fidelity"),
            Field::Stream => ("stream", "stream"),
            Field::PartialImages => ("partial images", "partial_images"),
            Field::Complexity => ("complexity", "complexity"),
            Field::Frames => ("GIF frames", "frame_count"),
            Field::FrameMs => ("frame time ms", "frame_duration_ms"),
            Field::SvgModel => ("SVG author", "svg.model"),
            Field::SvgEffort => ("SVG effort", "svg.reasoning.effort"),
        }
    }

    pub fn label(self) -> &'static str {
        self.names().0
    }

    /// The request parameter this row sets, as validation names it.
    pub fn param(self) -> &'static str {
        self.names().1
    }
}

/// Frame times offered for GIFs, in milliseconds (any other may be typed
/// on the command line).
const FRAME_TIMES: &[u32] = &[
    20, 40, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500, 750, 1000,
];

/// A custom size being typed, checked as it is typed.
#[derive(Debug, Clone, PartialEq)]
pub struct SizeInput {
    pub text: crate::model::line_edit::LineEdit,
    /// `Err` is the rule the text breaks; `Ok` may carry a warning.
    pub check: Result<Option<String>, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// The chosen values; `prompt` stays unset here.
    pub values: ImageParams,
    pub row: usize,
    pub size_input: Option<SizeInput>,
    /// An edit is being made: edit-only parameters (input fidelity) show.
    /// Kept in step with the model's edit by `update` after every action.
    pub for_edit: bool,
    /// What the model table says is wrong with the values as they stand,
    /// kept in step by `update` so the panel marks it at once.
    pub problems: Vec<Violation>,
    /// What is sent as asked but worth knowing (unverified parameters,
    /// rounded frame times, experimental sizes).
    pub notes: Vec<String>,
    remembered: BTreeMap<String, ImageParams>,
}

fn list(values: &[String]) -> Vec<Option<String>> {
    std::iter::once(None)
        .chain(values.iter().cloned().map(Some))
        .collect()
}

fn numbers(range: std::ops::RangeInclusive<u32>, step: usize) -> Vec<Option<String>> {
    list(
        &range
            .step_by(step)
            .map(|n| n.to_string())
            .collect::<Vec<_>>(),
    )
}

impl Params {
    pub fn new(model: String, remembered: BTreeMap<String, ImageParams>) -> Params {
        let values = remembered
            .get(&model)
            .cloned()
            .map(|mut p| {
                p.model = model.clone();
                p.prompt = None;
                p
            })
            .unwrap_or_else(|| ImageParams::new(model));
        Params {
            values,
            row: 0,
            size_input: None,
            for_edit: false,
            problems: Vec::new(),
            notes: Vec::new(),
            remembered,
        }
    }

    pub fn model(&self) -> &str {
        &self.values.model
    }

    pub fn remembered(&self) -> &BTreeMap<String, ImageParams> {
        &self.remembered
    }

    /// Switches model, keeping what was set for the old one and bringing
    /// back what was last used with the new one.
    pub fn set_model(&mut self, model: &str) {
        if model == self.values.model {
            return;
        }
        self.remember();
        let for_edit = self.for_edit;
        *self = Params::new(model.to_string(), std::mem::take(&mut self.remembered));
        self.for_edit = for_edit;
    }

    /// Stores the current values as the model's last used ones.
    pub fn remember(&mut self) {
        self.remembered
            .insert(self.values.model.clone(), self.values.clone());
    }

    /// Takes the values of a past request (the "reuse" action).
    pub fn adopt(&mut self, params: &ImageParams) {
        self.set_model(&params.model);
        self.values = ImageParams {
            prompt: None,
            ..params.clone()
        };
    }

    /// The rows shown for the current model.
    pub fn fields(&self, catalog: &Catalog) -> Vec<Field> {
        let Some(spec) = catalog.get(self.model()) else {
            return vec![Field::Model, Field::Size, Field::Count];
        };
        let v = &self.values;
        let compressible = matches!(v.output_format.as_deref(), Some("jpeg" | "webp"));
        let streaming = v.stream == Some(true);
        // GIF and SVG output cannot stream, so streaming is not offered with them.
        let still = matches!(v.format(), Some("gif" | "svg"));
        let gif = v.format() == Some("gif") && spec.gif.is_some();
        let svg = v.format() == Some("svg") && spec.svg.is_some();
        [
            (Field::Model, true),
            (
                Field::Size,
                !spec.sizes.is_empty() || spec.size_rule.is_some(),
            ),
            (Field::Quality, !spec.qualities.is_empty()),
            (Field::Complexity, !spec.complexity.is_empty()),
            (Field::Style, !spec.styles.is_empty()),
            (Field::Count, spec.n_max > 1),
            (Field::ResponseFormat, !spec.response_formats.is_empty()),
            (Field::Background, !spec.backgrounds.is_empty()),
            (Field::OutputFormat, !spec.output_formats.is_empty()),
            (Field::Frames, gif),
            (Field::FrameMs, gif),
            (Field::SvgModel, svg),
            (Field::SvgEffort, svg),
            (Field::Compression, spec.output_compression && compressible),
            (Field::Moderation, !spec.moderation.is_empty()),
            (
                Field::InputFidelity,
                self.for_edit && !spec.input_fidelity.is_empty(),
            ),
            (Field::Stream, spec.streams() && !still),
            (Field::PartialImages, spec.streams() && streaming && !still),
        ]
        .into_iter()
        .filter_map(|(field, shown)| shown.then_some(field))
        .collect()
    }

    /// The field under the cursor.
    pub fn current(&self, catalog: &Catalog) -> Field {
        let fields = self.fields(catalog);
        fields[self.row.min(fields.len() - 1)]
    }

    /// The values a field can take, `None` (server default) first.
    pub fn choices(&self, field: Field, spec: Option<&ModelSpec>) -> Vec<Option<String>> {
        let Some(spec) = spec else {
            return match field {
                Field::Count => numbers(1..=10, 1),
                _ => vec![None],
            };
        };
        match field {
            Field::Model => vec![Some(spec.name.clone())],
            Field::Size => list(&spec.sizes),
            Field::Quality => list(&spec.qualities),
            Field::Style => list(&spec.styles),
            Field::Count => numbers(1..=u32::from(spec.n_max), 1),
            Field::ResponseFormat => list(&spec.response_formats),
            Field::Background => list(&spec.backgrounds),
            Field::OutputFormat => list(&spec.output_formats),
            Field::Compression => numbers(0..=100, 5),
            Field::Moderation => list(&spec.moderation),
            Field::InputFidelity => list(&spec.input_fidelity),
            Field::Stream => vec![None, Some("true".into())],
            Field::PartialImages => numbers(0..=u32::from(spec.partial_images_max.unwrap_or(0)), 1),
            Field::Complexity => list(&spec.complexity),
            Field::Frames => match &spec.gif {
                Some(gif) => numbers(u32::from(gif.frames_min)..=u32::from(gif.frames_max), 1),
                None => vec![None],
            },
            Field::FrameMs => match &spec.gif {
                Some(gif) => list(
                    &FRAME_TIMES
                        .iter()
                        .filter(|ms| (gif.frame_ms_min..=gif.frame_ms_max).contains(ms))
                        .map(u32::to_string)
                        .collect::<Vec<_>>(),
                ),
                None => vec![None],
            },
            Field::SvgModel => list(spec.svg.as_ref().map_or(&[][..], |s| &s.authors)),
            Field::SvgEffort => list(spec.svg.as_ref().map_or(&[][..], |s| &s.efforts)),
        }
    }

    pub fn value(&self, field: Field) -> Option<String> {
        let v = &self.values;
        match field {
            Field::Model => Some(v.model.clone()),
            Field::Size => v.size.clone(),
            Field::Quality => v.quality.clone(),
            Field::Style => v.style.clone(),
            Field::Count => v.n.map(|n| n.to_string()),
            Field::ResponseFormat => v.response_format.clone(),
            Field::Background => v.background.clone(),
            Field::OutputFormat => v.output_format.clone(),
            Field::Compression => v.output_compression.map(|n| n.to_string()),
            Field::Moderation => v.moderation.clone(),
            Field::InputFidelity => v.input_fidelity.clone(),
            Field::Stream => v.stream.filter(|s| *s).map(|_| "true".into()),
            Field::PartialImages => v.partial_images.map(|n| n.to_string()),
            Field::Complexity => v.complexity.clone(),
            Field::Frames => v.frame_count.map(|n| n.to_string()),
            Field::FrameMs => v.frame_duration_ms.map(|n| n.to_string()),
            Field::SvgModel => v.svg.as_ref().and_then(|s| s.model.clone()),
            Field::SvgEffort => v.svg.as_ref().and_then(|s| s.effort().map(str::to_string)),
        }
    }

    pub fn set(&mut self, field: Field, value: Option<String>) {
        let number = |value: &Option<String>| value.as_deref().and_then(|s| s.parse::<u8>().ok());
        let v = &mut self.values;
        match field {
            Field::Model => {}
            Field::Size => v.size = value,
            Field::Quality => v.quality = value,
            Field::Style => v.style = value,
            Field::Count => v.n = number(&value),
            Field::ResponseFormat => v.response_format = value,
            Field::Background => v.background = value,
            Field::OutputFormat => v.output_format = value,
            Field::Compression => v.output_compression = number(&value),
            Field::Moderation => v.moderation = value,
            Field::InputFidelity => v.input_fidelity = value,
            Field::Stream => v.stream = value.map(|_| true),
            Field::PartialImages => v.partial_images = number(&value),
            Field::Complexity => v.complexity = value,
            Field::Frames => v.frame_count = number(&value),
            Field::FrameMs => v.frame_duration_ms = value.and_then(|s| s.parse().ok()),
            Field::SvgModel => {
                let effort = v.svg.as_ref().and_then(|s| s.effort().map(str::to_string));
                v.svg = SvgOptions::of(value, effort);
            }
            Field::SvgEffort => {
                let author = v.svg.as_ref().and_then(|s| s.model.clone());
                v.svg = SvgOptions::of(author, value);
            }
        }
        self.drop_orphans();
    }

    /// Values whose row disappeared (compression without jpeg/webp, partial
    /// images without streaming) are unset, so they are never sent.
    fn drop_orphans(&mut self) {
        let v = &mut self.values;
        if !matches!(v.output_format.as_deref(), Some("jpeg" | "webp")) {
            v.output_compression = None;
        }
        let format = v.output_format.clone();
        if v.stream != Some(true) || matches!(format.as_deref(), Some("gif" | "svg")) {
            v.stream = None;
            v.partial_images = None;
        }
        if format.as_deref() != Some("gif") {
            v.frame_count = None;
            v.frame_duration_ms = None;
        }
        if format.as_deref() != Some("svg") {
            v.svg = None;
        } else if v.n.is_some_and(|n| n > 1) {
            // SVG makes one image per request.
            v.n = None;
        }
    }

    /// Checks the values as a request would be checked, so the panel can
    /// mark a broken value when it is chosen rather than at Ctrl+G.
    pub fn recheck(&mut self, catalog: &Catalog, target: &Target) {
        let mut params = self.values.clone();
        params.prompt = Some("-".into());
        // Checked as what Ctrl+G sends: an edit (its inputs are the edit
        // panel's to check) or a generation, which drops input_fidelity.
        let request = if self.for_edit {
            ImageRequest::edit(params, Vec::new(), None)
        } else {
            params.input_fidelity = None;
            ImageRequest::generate(params)
        };
        let (problems, mut notes, lifecycle) = match validate(request, catalog, target) {
            Ok(valid) => (Vec::new(), valid.warnings, valid.lifecycle),
            Err(err) => (err.violations, err.warnings, err.lifecycle),
        };
        notes.retain(|w| Some(w) != lifecycle.as_ref());
        // A shut-down model is said once, by the lifecycle line; input
        // images are shown and checked in the edit panel.
        self.problems = problems
            .into_iter()
            .filter(|v| v.param != "model" && v.param != "image")
            .collect();
        self.notes = notes;
    }

    /// The first problem with a field's value, if any.
    pub fn problem(&self, field: Field) -> Option<&Violation> {
        self.problems.iter().find(|v| v.param == field.param())
    }

    /// Moves the value of the current row by `step` through its choices.
    pub fn cycle(&mut self, catalog: &Catalog, step: isize) {
        let field = self.current(catalog);
        let choices = self.choices(field, catalog.get(self.model()));
        let now = self.value(field);
        let at = choices.iter().position(|c| *c == now).unwrap_or(0) as isize;
        let next = (at + step).rem_euclid(choices.len() as isize) as usize;
        self.set(field, choices[next].clone());
    }

    pub fn move_row(&mut self, catalog: &Catalog, step: isize) {
        let count = self.fields(catalog).len() as isize;
        self.row = (self.row.min(count as usize - 1) as isize + step).clamp(0, count - 1) as usize;
    }

    /// Starts typing a custom size (models with a free-size rule).
    pub fn start_size_input(&mut self, catalog: &Catalog) -> bool {
        let free = catalog
            .get(self.model())
            .is_none_or(|spec| spec.size_rule.is_some());
        if free {
            let text = self.values.size.clone().unwrap_or_default();
            self.size_input = Some(SizeInput {
                check: Ok(None),
                text: crate::model::line_edit::LineEdit::new(&text),
            });
            self.retype_size(catalog, |_| {});
        }
        free
    }

    /// Edits the typed size and checks it again.
    pub fn retype_size(
        &mut self,
        catalog: &Catalog,
        edit: impl FnOnce(&mut crate::model::line_edit::LineEdit),
    ) {
        let spec = catalog.get(self.model()).cloned();
        let Some(input) = self.size_input.as_mut() else {
            return;
        };
        edit(&mut input.text);
        input.check = match (&spec, input.text.as_str().trim()) {
            (_, "") => Err("type WIDTHxHEIGHT, e.g. 1792x1024".into()),
            (Some(spec), text) => check_size(text, spec),
            (None, text) => crate::api::request::parse_size(text)
                .map(|_| None)
                .ok_or_else(|| "type WIDTHxHEIGHT, e.g. 1792x1024".into()),
        };
    }

    /// The values with a size being typed in place of the chosen one.
    pub fn as_typed(&self) -> ImageParams {
        let mut values = self.values.clone();
        if let Some(input) = &self.size_input {
            values.size = Some(input.text.to_string());
        }
        values
    }

    /// Takes the typed size if it passes; says why not otherwise.
    pub fn accept_size(&mut self) -> Result<(), String> {
        let Some(input) = self.size_input.take() else {
            return Ok(());
        };
        match &input.check {
            Ok(_) => {
                self.values.size = Some(input.text.as_str().trim().to_string());
                Ok(())
            }
            Err(why) => {
                let why = why.clone();
                self.size_input = Some(input);
                Err(why)
            }
        }
    }

    /// What will be sent, in one line: the model and every set value.
    pub fn summary(&self, catalog: &Catalog) -> String {
        let mut parts = vec![self.model().to_string()];
        for field in self.fields(catalog).into_iter().skip(1) {
            if let Some(value) = self.value(field) {
                parts.push(match field {
                    Field::Size | Field::OutputFormat => value,
                    Field::Stream => "stream".into(),
                    Field::Frames => format!("{value} frames"),
                    Field::FrameMs => format!("{value} ms"),
                    _ => format!("{} {value}", field.label()),
                });
            }
        }
        parts.join(" · ")
    }
}
