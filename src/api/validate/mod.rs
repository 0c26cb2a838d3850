//! Checks a request against the model table before anything is sent.
//!
//! A request that passes becomes a [`ValidRequest`], the only thing the client
//! sends, so an unchecked request cannot reach the network.

mod formats;
mod inputs;
mod size;
pub use size::check_size;

use jiff::civil::Date;

use super::catalog::{Catalog, Endpoint, Lifecycle, ModelSpec};
use super::request::{ImageRequest, parse_size};

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
    /// What would have been worth a warning had the request passed.
    pub warnings: Vec<String>,
    pub lifecycle: Option<String>,
}

/// A request that passed the checks, with anything worth a warning.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRequest {
    request: ImageRequest,
    pub warnings: Vec<String>,
    /// The warning about the model's shutdown, also in `warnings` (views
    /// that show the lifecycle already leave it out).
    pub lifecycle: Option<String>,
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
    if target.is_openai && catalog.endpoint_retired(request.endpoint) {
        check.fail(
            "endpoint",
            format!(
                "OpenAI's {} endpoint no longer accepts requests (compatible servers may still serve it: set a base URL)",
                request.endpoint.name()
            ),
        );
    }
    let spec = catalog.get(&request.params.model);
    if request.params.model.trim().is_empty() {
        check.fail("model", "a model name is required");
    } else {
        match spec {
            Some(spec) => check.known_model(&request, spec, target),
            None => check.unknown_model(&request),
        }
    }
    check.format_exclusions(&request);
    check.markup(&request, spec);
    check.finish(request)
}

#[derive(Default)]
struct Checker {
    violations: Vec<Violation>,
    warnings: Vec<String>,
    lifecycle: Option<String>,
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
                lifecycle: self.lifecycle,
            })
        } else {
            Err(ValidationError {
                violations: self.violations,
                warnings: self.warnings,
                lifecycle: self.lifecycle,
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
        self.choice(
            "complexity",
            p.complexity.as_deref(),
            &spec.complexity,
            &spec.name,
        );
        if p.complexity.is_some() {
            self.unverified_used(spec, "complexity");
        }
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
        if p.input_fidelity.is_some() {
            self.unverified_used(spec, "input_fidelity");
        }
        self.compression(req, spec.output_compression, &spec.name);
        self.transparency(req);
        self.streaming(req, spec.partial_images_max, &spec.name);
        self.format_limits(req, spec);
        self.inputs(req, spec);
    }

    /// A parameter whose support for this model no first-party source
    /// settles is sent as asked, with a warning.
    fn unverified_used(&mut self, spec: &ModelSpec, param: &str) {
        if spec.is_unverified(param) {
            self.warnings.push(format!(
                "{param} is not confirmed for {}: sent as asked, the server may refuse it",
                spec.name
            ));
        }
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
            Lifecycle::ShutDown { since } => self.lifecycle = Some(format!(
                "{} was shut down on OpenAI on {since}; this server may still serve it",
                spec.name
            )),
            Lifecycle::Deprecated { shutdown } => self.lifecycle =
                Some(format!("{} shuts down on OpenAI on {shutdown}{instead}", spec.name)),
            Lifecycle::Active => {}
        }
        self.warnings.extend(self.lifecycle.clone());
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
        if matches!(format, "gif" | "svg") {
            // Refused with the format's own reason.
            return;
        }
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
        match req.params.format() {
            Some(format @ ("jpeg" | "gif" | "svg")) if transparent => self.fail(
                "background",
                format!("a transparent background needs output_format png or webp, not {format}"),
            ),
            _ => {}
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
}
