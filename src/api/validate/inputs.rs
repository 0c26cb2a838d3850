//! Rules for the input images of edits and variations, and for masks.

use super::Checker;
use crate::api::catalog::{EditRules, Endpoint, ModelSpec};
use crate::api::request::{ImageRequest, InputImage};
use crate::images::probe::ImageFormat;

impl Checker {
    pub(super) fn image_count(&mut self, req: &ImageRequest, max: usize) {
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

    pub(super) fn inputs(&mut self, req: &ImageRequest, spec: &ModelSpec) {
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

    pub(super) fn input_image(
        &mut self,
        what: &str,
        image: &InputImage,
        rules: &EditRules,
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

    pub(super) fn mask(&mut self, mask: &InputImage, first: &InputImage, max_bytes: u64) {
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

fn human_bytes(bytes: u64) -> String {
    format!("{} MB", bytes / (1024 * 1024))
}
