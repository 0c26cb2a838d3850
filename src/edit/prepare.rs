//! Turning an edit's inputs (file bytes, the painted mask, the fit
//! options) into exactly what will be sent, with a line per change made.
//! Pure over bytes: the effect reads the files and runs this off the UI
//! thread; the edit panel shows the result before anything is sent.

use bytes::Bytes;

use super::fit::{FitError, Fitted, fit_mask, fit_source};
use super::fit_plan::FitOptions;
use super::markup::Markup;
use super::mask::MaskGrid;
use super::mask_png;
use crate::api::catalog::EditRules;
use crate::api::request::InputImage;

/// Rules for models the table does not know (compatible servers): the GPT
/// image models' limits, which most servers copy.
pub fn permissive_rules() -> EditRules {
    EditRules {
        max_images: 16,
        max_bytes: 50 * 1024 * 1024,
        formats: vec!["png".into(), "jpeg".into(), "webp".into()],
        square: false,
    }
}

/// The mask to send: painted in the app, or read from a file.
#[derive(Debug, Clone, PartialEq)]
pub enum MaskInput {
    Painted { grid: MaskGrid, feather: u32 },
    File(Bytes),
}

/// A mask ready to send, and the mask as painted over the original first
/// image (what the sidecar keeps, so the edit can be repeated).
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedMask {
    pub sent: InputImage,
    pub painted: Bytes,
}

/// Everything an edit will send.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedEdit {
    pub images: Vec<Fitted>,
    pub mask: Option<PreparedMask>,
    /// Markup drawn over the first image, fitted like it.
    pub markup: Option<PreparedMask>,
}

impl PreparedEdit {
    /// The mask has the first image's exact pixel size.
    pub fn mask_matches(&self) -> bool {
        match (&self.mask, self.images.first()) {
            (Some(mask), Some(first)) => {
                (mask.sent.info.width, mask.sent.info.height)
                    == (first.image.info.width, first.image.info.height)
            }
            _ => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrepareError {
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error("mask: {0}")]
    Mask(#[from] mask_png::MaskError),
}

/// Fits every source to the rules and makes the mask for the first one.
pub fn prepare(
    sources: Vec<(String, Bytes)>,
    mask: Option<MaskInput>,
    rules: &EditRules,
    options: FitOptions,
) -> Result<PreparedEdit, PrepareError> {
    let images = sources
        .into_iter()
        .map(|(name, bytes)| fit_source(&name, bytes, rules, options))
        .collect::<Result<Vec<Fitted>, FitError>>()?;
    prepare_fitted(images, mask, None)
}

/// The mask for sources already fitted (the effect keeps fitted sources,
/// so painting the mask again does not fit every source again).
pub fn prepare_fitted(
    images: Vec<Fitted>,
    mask: Option<MaskInput>,
    markup: Option<&Markup>,
) -> Result<PreparedEdit, PrepareError> {
    let mask = match (mask, images.first()) {
        (Some(mask), Some(first)) => Some(prepare_mask(mask, first)?),
        _ => None,
    };
    let markup = match (markup.filter(|m| !m.is_empty()), images.first()) {
        (Some(markup), Some(first)) => Some(prepare_markup(markup, first)?),
        _ => None,
    };
    Ok(PreparedEdit {
        images,
        mask,
        markup,
    })
}

/// The markup drawn at image 1's own size (kept with the result), and
/// fitted with the same steps as image 1 (sent).
fn prepare_markup(markup: &Markup, first: &Fitted) -> Result<PreparedMask, PrepareError> {
    let (w, h) = first.original;
    let failed = |e: String| PrepareError::Mask(mask_png::MaskError::Encode(e));
    let painted = Bytes::from(super::markup::export(markup, w, h).map_err(failed)?);
    let sent = Bytes::from(fit_mask(&painted, first)?);
    let sent = InputImage::from_bytes("markup.png", sent).map_err(|e| failed(e.to_string()))?;
    Ok(PreparedMask { sent, painted })
}

fn prepare_mask(mask: MaskInput, first: &Fitted) -> Result<PreparedMask, PrepareError> {
    let (w, h) = first.original;
    let painted = match mask {
        MaskInput::Painted { grid, feather } => {
            Bytes::from(mask_png::export(&grid, w, h, feather)?)
        }
        MaskInput::File(bytes) => Bytes::from(mask_png::resized(&bytes, w, h)?),
    };
    let sent = Bytes::from(fit_mask(&painted, first)?);
    let sent = InputImage::from_bytes("mask.png", sent)
        .map_err(|e| PrepareError::Mask(mask_png::MaskError::Encode(e.to_string())))?;
    Ok(PreparedMask { sent, painted })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Bytes {
        let mut out = Vec::new();
        image::DynamicImage::ImageRgba8(image::RgbaImage::new(w, h))
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        Bytes::from(out)
    }

    #[test]
    fn a_painted_mask_matches_the_fitted_first_image() {
        let mut grid = MaskGrid::new(4, 4);
        grid.rect((0, 0), (1, 1), true);
        let rules = crate::api::Catalog::builtin()
            .get("dall-e-2")
            .and_then(|m| m.edit.clone())
            .unwrap();
        let prepared = prepare(
            vec![("a.png".into(), png(200, 100))],
            Some(MaskInput::Painted { grid, feather: 0 }),
            &rules,
            FitOptions::default(),
        )
        .unwrap();
        assert!(prepared.mask_matches());
        let mask = prepared.mask.unwrap();
        assert_eq!((mask.sent.info.width, mask.sent.info.height), (200, 200));
        assert!(mask.sent.info.has_alpha);
        let painted = image::load_from_memory(&mask.painted).unwrap();
        assert_eq!(
            (painted.width(), painted.height()),
            (200, 100),
            "kept as painted"
        );
    }

    #[test]
    fn a_wrong_sized_mask_file_is_brought_to_the_image_size() {
        let mask = mask_png::export(&MaskGrid::new(2, 2), 50, 50, 0).unwrap();
        let prepared = prepare(
            vec![
                ("a.png".into(), png(120, 80)),
                ("b.png".into(), png(10, 10)),
            ],
            Some(MaskInput::File(Bytes::from(mask))),
            &permissive_rules(),
            FitOptions::default(),
        )
        .unwrap();
        assert_eq!(prepared.images.len(), 2);
        assert!(prepared.mask_matches());
    }
}
