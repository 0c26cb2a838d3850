//! Checks a request against the model table before anything is sent.
//!
//! A request that passes becomes a [`ValidRequest`], the only thing the client
//! sends, so an unchecked request cannot reach the network.

use jiff::civil::Date;

use super::catalog::{Catalog, Endpoint, Lifecycle, ModelSpec, SizeRule};
use super::request::{ImageRequest, InputImage, parse_size};
use crate::images::probe::ImageFormat;

/// Limits applied to model names the table does not know (compatible servers).
const UNKNOWN_N_MAX: u8 = 10;
const UNKNOWN_PROMPT_MAX: usize = 32000;
const UNKNOWN_MAX_IMAGES: usize = 16;
const PARTIAL_IMAGES_MAX: u8 = 3;

/// One broken rule: which parameter, and what is allowed instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub param: String,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.param, self.message)
    }
}

/// All the rules a request broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct ValidationError {
    pub violations: Vec<Violation>,
}

/// A request that passed the checks, with anything worth a warning.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRequest {
    request: ImageRequest,
    pub warnings: Vec<String>,
}

impl ValidRequest {
    pub fn request(&self) -> &ImageRequest {
        &self.request
    }
}

/// What the checks need to know besides the request.
#[derive(Debug, Clone)]
pub struct Target {
    pub today: Date,
    /// True when the base URL is OpenAI's own API, where shut-down models are gone.
    pub is_openai: bool,
}

/// Checks `request` against `catalog`.
pub fn validate(
    request: ImageRequest,
    catalog: &Catalog,
    target: &Target,
) -> Result<ValidRequest, ValidationError> {
    let mut check = Checker::default();
    if request.params.model.trim().is_empty() {
        check.fail("model", "a model name is required");
    } else {
        match catalog.get(&request.params.model) {
            Some(spec) => check.known_model(&request, spec, target),
            None => check.unknown_model(&request),
        }
    }
    check.finish(request)
}

#[derive(Default)]
struct Checker {
    violations: Vec<Violation>,
    warnings: Vec<String>,
}

impl Checker {
    fn fail(&mut self, param: &str, message: impl Into<String>) {
        self.violations.push(Violation {
            param: param.to_string(),
            message: message.into(),
        });
    }

    fn finish(self, request: ImageRequest) -> Result<ValidRequest, ValidationError> {
        if self.violations.is_empty() {
            Ok(ValidRequest {
                request,
                warnings: self.warnings,
            })
        } else {
            Err(ValidationError {
                violations: self.violations,
            })
        }
    }

    fn known_model(&mut self, req: &ImageRequest, spec: &ModelSpec, target: &Target) {
        self.lifecycle(spec, target);
        if !spec.serves(req.endpoint) {
            let serves: Vec<&str> = spec.endpoints.iter().map(|e| e.name()).collect();
            self.fail(
                "model",
                format!(
                    "{} does not serve {}; it serves {}",
                    spec.name,
                    req.endpoint.name(),
                    serves.join(", ")
                ),
            );
            return;
        }
        let p = &req.params;
        self.prompt(req, spec.prompt_max);
        self.n(p.n, spec.n_max, &spec.name);
        self.size(p.size.as_deref(), spec);
        self.choice("quality", p.quality.as_deref(), &spec.qualities, &spec.name);
        self.choice("style", p.style.as_deref(), &spec.styles, &spec.name);
        self.choice(
            "response_format",
            p.response_format.as_deref(),
            &spec.response_formats,
            &spec.name,
        );
        self.choice(
            "background",
            p.background.as_deref(),
            &spec.backgrounds,
            &spec.name,
        );
        self.choice(
            "output_format",
            p.output_format.as_deref(),
            &spec.output_formats,
            &spec.name,
        );
        self.choice(
            "moderation",
            p.moderation.as_deref(),
            &spec.moderation,
            &spec.name,
        );
        self.input_fidelity(req, &spec.input_fidelity, &spec.name);
        self.compression(req, spec.output_compression, &spec.name);
        self.transparency(req);
        self.streaming(req, spec.partial_images_max, &spec.name);
        self.inputs(req, spec);
    }

    fn unknown_model(&mut self, req: &ImageRequest) {
        self.warnings.push(format!(
            "{} is not in the model table: only basic checks were made",
            req.params.model
        ));
        let p = &req.params;
        self.prompt(req, UNKNOWN_PROMPT_MAX);
        self.n(p.n, UNKNOWN_N_MAX, &p.model);
        if let Some(size) = p.size.as_deref()
            && size != "auto"
            && parse_size(size).is_none()
        {
            self.fail("size", format!("{size:?} is not auto or WIDTHxHEIGHT"));
        }
        self.compression(req, true, &p.model);
        self.transparency(req);
        self.streaming(req, Some(PARTIAL_IMAGES_MAX), &p.model);
        self.image_count(req, UNKNOWN_MAX_IMAGES);
    }

    fn lifecycle(&mut self, spec: &ModelSpec, target: &Target) {
        let instead = spec
            .replacement
            .as_deref()
            .map(|r| format!("; use {r}"))
            .unwrap_or_default();
        match spec.lifecycle(target.today) {
            Lifecycle::ShutDown { since } if target.is_openai => self.fail(
                "model",
                format!(
                    "{} was shut down on OpenAI on {since}{instead} (compatible servers may still serve it: set a base URL)",
                    spec.name
                ),
            ),
            Lifecycle::ShutDown { since } => self
                .warnings
                .push(format!("{} was shut down on OpenAI on {since}; this server may still serve it", spec.name)),
            Lifecycle::Deprecated { shutdown } => self
                .warnings
                .push(format!("{} shuts down on OpenAI on {shutdown}{instead}", spec.name)),
            Lifecycle::Active => {}
        }
    }

    fn prompt(&mut self, req: &ImageRequest, max: usize) {
        let prompt = req.params.prompt.as_deref();
        if req.endpoint == Endpoint::Variations {
            if prompt.is_some() {
                self.fail("prompt", "variations take no prompt");
            }
            return;
        }
        match prompt.map(|p| p.chars().count()) {
            None | Some(0) => self.fail("prompt", "a prompt is required"),
            Some(len) if len > max => self.fail(
                "prompt",
                format!(
                    "{len} characters is over {}'s limit of {max}",
                    req.params.model
                ),
            ),
            Some(_) => {}
        }
        if prompt.is_some_and(|p| p.trim().is_empty()) {
            self.fail("prompt", "the prompt is only white space");
        }
    }

    fn n(&mut self, n: Option<u8>, max: u8, model: &str) {
        match n {
            Some(n) if n == 0 || n > max => {
                let range = if max == 1 {
                    "only 1".to_string()
                } else {
                    format!("1 to {max}")
                };
                self.fail(
                    "n",
                    format!("{model} takes {range} image(s) per request, not {n}"),
                );
            }
            _ => {}
        }
    }

    fn size(&mut self, size: Option<&str>, spec: &ModelSpec) {
        let Some(size) = size else { return };
        if spec.sizes.iter().any(|s| s == size) {
            self.experimental(size, spec.size_rule.as_ref());
            return;
        }
        match (&spec.size_rule, parse_size(size)) {
            (Some(rule), Some(wh)) => match size_rule_break(rule, wh) {
                None => self.experimental(size, Some(rule)),
                Some(why) => self.fail(
                    "size",
                    format!("{size} is not allowed for {}: {why}", spec.name),
                ),
            },
            (Some(_), None) => self.fail("size", format!("{size:?} is not auto or WIDTHxHEIGHT")),
            (None, _) => self.fail(
                "size",
                format!(
                    "{size} is not one of {}'s sizes: {}",
                    spec.name,
                    spec.sizes.join(", ")
                ),
            ),
        }
    }

    fn experimental(&mut self, size: &str, rule: Option<&SizeRule>) {
        let over = rule.and_then(|r| r.experimental_above_pixels);
        if let (Some(limit), Some((w, h))) = (over, parse_size(size))
            && u64::from(w) * u64::from(h) > limit
        {
            self.warnings.push(format!(
                "{size} is above {limit} pixels: experimental, results may vary"
            ));
        }
    }

    fn choice(&mut self, param: &str, value: Option<&str>, allowed: &[String], model: &str) {
        let Some(value) = value else { return };
        if allowed.is_empty() {
            self.fail(param, format!("{model} does not take {param}"));
        } else if !allowed.iter().any(|a| a == value) {
            self.fail(
                param,
                format!(
                    "{value:?} is not allowed for {model}; use one of {}",
                    allowed.join(", ")
                ),
            );
        }
    }

    fn input_fidelity(&mut self, req: &ImageRequest, allowed: &[String], model: &str) {
        let value = req.params.input_fidelity.as_deref();
        if value.is_some() && req.endpoint != Endpoint::Edits {
            self.fail("input_fidelity", "input_fidelity applies to edits only");
            return;
        }
        self.choice("input_fidelity", value, allowed, model);
    }

    fn compression(&mut self, req: &ImageRequest, takes: bool, model: &str) {
        let Some(level) = req.params.output_compression else {
            return;
        };
        let format = req.params.output_format.as_deref().unwrap_or("png");
        if !takes {
            self.fail(
                "output_compression",
                format!("{model} does not take output_compression"),
            );
        } else if level > 100 {
            self.fail(
                "output_compression",
                format!("{level} is not between 0 and 100"),
            );
        } else if !matches!(format, "jpeg" | "webp") {
            self.fail(
                "output_compression",
                "applies only with output_format jpeg or webp",
            );
        }
    }

    fn transparency(&mut self, req: &ImageRequest) {
        let transparent = req.params.background.as_deref() == Some("transparent");
        if transparent && req.params.output_format.as_deref() == Some("jpeg") {
            self.fail(
                "background",
                "a transparent background needs output_format png or webp, not jpeg",
            );
        }
    }

    fn streaming(&mut self, req: &ImageRequest, max: Option<u8>, model: &str) {
        let p = &req.params;
        if p.stream.is_some() && max.is_none() {
            self.fail("stream", format!("{model} does not stream"));
        }
        let Some(partials) = p.partial_images else {
            return;
        };
        match max {
            None => self.fail(
                "partial_images",
                format!("{model} does not stream partial images"),
            ),
            Some(_) if !p.streaming() => self.fail("partial_images", "needs stream turned on"),
            Some(max) if partials > max => self.fail(
                "partial_images",
                format!("{partials} is over the maximum of {max}"),
            ),
            Some(_) => {}
        }
    }

    fn image_count(&mut self, req: &ImageRequest, max: usize) {
        let count = req.images.len();
        match req.endpoint {
            Endpoint::Generations if count > 0 || req.mask.is_some() => {
                self.fail("image", "generations take no input image; use an edit")
            }
            Endpoint::Edits | Endpoint::Variations if count == 0 => {
                self.fail("image", "an input image is required")
            }
            Endpoint::Variations if count > 1 || req.mask.is_some() => {
                self.fail("image", "a variation takes exactly one image and no mask")
            }
            Endpoint::Edits if count > max => self.fail(
                "image",
                format!("{count} images is over the limit of {max}"),
            ),
            _ => {}
        }
    }

    fn inputs(&mut self, req: &ImageRequest, spec: &ModelSpec) {
        let Some(rules) = &spec.edit else {
            self.image_count(req, 0);
            return;
        };
        self.image_count(req, rules.max_images);
        for (i, image) in req.images.iter().enumerate() {
            self.input_image(&format!("image {}", i + 1), image, rules, &spec.name);
        }
        if let (Some(mask), Some(first)) = (&req.mask, req.images.first()) {
            self.mask(mask, first, rules.max_bytes);
        }
    }

    fn input_image(
        &mut self,
        what: &str,
        image: &InputImage,
        rules: &super::catalog::EditRules,
        model: &str,
    ) {
        let name = &image.file_name;
        let format = image.info.format.api_name();
        if !rules.formats.iter().any(|f| f == format) {
            self.fail(
                "image",
                format!(
                    "{what} ({name}) is {format}; {model} takes {}",
                    rules.formats.join(", ")
                ),
            );
        }
        if image.bytes.len() as u64 >= rules.max_bytes {
            self.fail(
                "image",
                format!(
                    "{what} ({name}) is {} bytes; {model} takes files under {}",
                    image.bytes.len(),
                    human_bytes(rules.max_bytes)
                ),
            );
        }
        if rules.square && image.info.width != image.info.height {
            self.fail(
                "image",
                format!(
                    "{what} ({name}) is {}x{}; {model} takes square images only",
                    image.info.width, image.info.height
                ),
            );
        }
    }

    fn mask(&mut self, mask: &InputImage, first: &InputImage, max_bytes: u64) {
        let name = &mask.file_name;
        if mask.info.format != ImageFormat::Png {
            self.fail(
                "mask",
                format!(
                    "{name} is {}; a mask must be a PNG",
                    mask.info.format.api_name()
                ),
            );
        } else if !mask.info.has_alpha {
            self.fail(
                "mask",
                format!("{name} has no alpha channel; transparent pixels mark the area to edit"),
            );
        }
        if (mask.info.width, mask.info.height) != (first.info.width, first.info.height) {
            self.fail(
                "mask",
                format!(
                    "{name} is {}x{} but the first image is {}x{}; they must be the same size",
                    mask.info.width, mask.info.height, first.info.width, first.info.height
                ),
            );
        }
        if mask.bytes.len() as u64 >= max_bytes {
            self.fail(
                "mask",
                format!("{name} must be under {}", human_bytes(max_bytes)),
            );
        }
    }
}

/// Why `(w, h)` breaks a free-size rule, if it does.
fn size_rule_break(rule: &SizeRule, (w, h): (u32, u32)) -> Option<String> {
    let m = rule.multiple_of;
    let (long, short) = (w.max(h), w.min(h));
    if w % m != 0 || h % m != 0 {
        Some(format!("both sides must be multiples of {m}"))
    } else if f64::from(long) / f64::from(short) > rule.max_aspect {
        Some(format!(
            "the aspect ratio must be between 1:{0} and {0}:1",
            rule.max_aspect
        ))
    } else if long > rule.max_edge || u64::from(w) * u64::from(h) > rule.max_pixels {
        Some(format!(
            "at most {} pixels on the long side and {} pixels in all",
            rule.max_edge, rule.max_pixels
        ))
    } else {
        None
    }
}

fn human_bytes(bytes: u64) -> String {
    format!("{} MB", bytes / (1024 * 1024))
}
