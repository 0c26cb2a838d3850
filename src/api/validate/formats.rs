//! Rules of the animated and vector outputs (GIF, SVG) and of markup edits,
//! and what each cannot be combined with.

use super::Checker;
use crate::api::catalog::{Endpoint, GifRules, ModelSpec};
use crate::api::request::{ImageRequest, parse_size};
use crate::images::probe::ImageFormat;

impl Checker {
    /// Exclusions that hold whatever the model: GIF and SVG outputs, and
    /// their own parameters only with them.
    pub(super) fn format_exclusions(&mut self, req: &ImageRequest) {
        let p = &req.params;
        let format = p.format();
        let gif = format == Some("gif");
        let svg = format == Some("svg");
        if !gif && (p.frame_count.is_some() || p.frame_duration_ms.is_some()) {
            let param = if p.frame_count.is_some() {
                "frame_count"
            } else {
                "frame_duration_ms"
            };
            self.fail(param, "applies only with output_format gif");
        }
        if !svg && p.svg.is_some() {
            self.fail("svg", "applies only with output_format svg");
        }
        if gif || svg {
            let name = if gif { "GIF" } else { "SVG" };
            if p.stream.is_some() {
                self.fail("stream", format!("{name} output cannot be streamed"));
            }
            if p.partial_images.is_some() {
                self.fail(
                    "partial_images",
                    format!("{name} output has no partial images"),
                );
            }
            if p.output_compression.is_some() {
                self.fail(
                    "output_compression",
                    format!("{name} output takes no compression"),
                );
            }
        }
        if gif && req.mask.is_some() {
            self.fail("mask", "GIF output cannot be combined with a mask");
        }
        if svg && p.n.is_some_and(|n| n > 1) {
            self.fail("n", "SVG output makes one image per request: n must be 1");
        }
        if p.svg
            .as_ref()
            .is_some_and(|s| s.model.as_deref().is_some_and(|m| m.trim().is_empty()))
        {
            self.fail("svg.model", "the SVG author model name is empty");
        }
        if req.markup.is_some() && req.mask.is_some() {
            self.fail(
                "markup",
                "markup cannot be combined with a mask: use one or the other",
            );
        }
        if p.safety_identifier
            .as_deref()
            .is_some_and(|s| s.trim().is_empty())
        {
            self.fail("safety_identifier", "is empty; leave it out instead");
        }
    }

    /// The model's own limits for GIF and SVG output.
    pub(super) fn format_limits(&mut self, req: &ImageRequest, spec: &ModelSpec) {
        let p = &req.params;
        // Without GIF rules the format itself was refused by the output_format check.
        if let (Some("gif"), Some(rules)) = (p.format(), &spec.gif) {
            self.gif(req, rules, &spec.name);
        }
        if let (Some(svg), Some(rules)) = (&p.svg, &spec.svg)
            && let Some(effort) = svg.effort()
            && !rules.efforts.is_empty()
            && !rules.efforts.iter().any(|e| e == effort)
        {
            self.fail(
                "svg.reasoning.effort",
                format!(
                    "{effort:?} is not an SVG reasoning effort; use one of {}",
                    rules.efforts.join(", ")
                ),
            );
        }
    }

    fn gif(&mut self, req: &ImageRequest, rules: &GifRules, model: &str) {
        let p = &req.params;
        let frames = p.frame_count.unwrap_or(rules.frames_default);
        if !(rules.frames_min..=rules.frames_max).contains(&frames) {
            self.fail(
                "frame_count",
                format!(
                    "{frames} frames is not between {} and {}",
                    rules.frames_min, rules.frames_max
                ),
            );
            return;
        }
        if let Some(ms) = p.frame_duration_ms {
            self.frame_time(ms, rules);
        }
        let Some((w, h)) = p.size.as_deref().and_then(parse_size) else {
            return;
        };
        let m = rules.multiple_of.max(1);
        if w % m != 0 || h % m != 0 {
            self.fail(
                "size",
                format!("GIF frames need sides that are multiples of {m}, not {w}x{h}"),
            );
        }
        if let Some(max) = rules.max_side(frames)
            && w.max(h) > max
        {
            self.fail(
                "size",
                format!(
                    "at most {max}x{max} for {frames} GIF frames, not {w}x{h} ({model}; fewer frames allow larger ones)"
                ),
            );
        }
        let (sheet_w, sheet_h) = GifRules::sheet(frames, (w, h));
        if sheet_w.max(sheet_h) > u64::from(rules.sheet_max_edge)
            || sheet_w * sheet_h > rules.sheet_max_pixels
        {
            self.fail(
                "size",
                format!(
                    "{frames} frames of {w}x{h} make a {sheet_w}x{sheet_h} sheet; {model} allows at most {} pixels on a side and {} in all",
                    rules.sheet_max_edge, rules.sheet_max_pixels
                ),
            );
        }
    }

    fn frame_time(&mut self, ms: u32, rules: &GifRules) {
        if !(rules.frame_ms_min..=rules.frame_ms_max).contains(&ms) {
            self.fail(
                "frame_duration_ms",
                format!(
                    "{ms} ms is not between {} and {} ms",
                    rules.frame_ms_min, rules.frame_ms_max
                ),
            );
            return;
        }
        let step = rules.frame_ms_step.max(1);
        let rounded = (ms + step / 2) / step * step;
        if rounded != ms {
            self.warnings.push(format!(
                "frame_duration_ms {ms} is rounded to {rounded} ms by the server"
            ));
        }
    }

    /// A markup PNG: edits of models that take it, transparent, the first
    /// image's size.
    pub(super) fn markup(&mut self, req: &ImageRequest, spec: Option<&ModelSpec>) {
        let Some(markup) = &req.markup else { return };
        if req.endpoint != Endpoint::Edits {
            self.fail("markup", "markup applies to edits only");
            return;
        }
        if let Some(spec) = spec {
            if !spec.markup {
                self.fail("markup", format!("{} does not take markup", spec.name));
                return;
            }
            self.unverified_used(spec, "markup");
        }
        let name = &markup.file_name;
        if markup.info.format != ImageFormat::Png || !markup.info.has_alpha {
            self.fail(
                "markup",
                format!("{name} must be a PNG with transparency: the marks over a see-through background"),
            );
        }
        if let Some(first) = req.images.first()
            && (markup.info.width, markup.info.height) != (first.info.width, first.info.height)
        {
            self.fail(
                "markup",
                format!(
                    "{name} is {}x{} but the first image is {}x{}; they must be the same size",
                    markup.info.width, markup.info.height, first.info.width, first.info.height
                ),
            );
        }
    }
}
