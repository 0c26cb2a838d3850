//! One batch line as a request: a generation, or an edit of the pictures
//! it names (read from the batch file's folder when relative), with the
//! references its images' sidecars record. Both ways of running a batch
//! (here, and on the Batch API) build their requests with it.

use std::path::{Path, PathBuf};

use crate::api::ImageRequest;
use crate::batch::BatchLine;
use crate::config::failure::Failure;
use crate::store::sidecar::SourceRef;

/// A line's request and what its sidecars say of its inputs.
pub struct LineRequest {
    pub request: ImageRequest,
    pub sources: Vec<SourceRef>,
    pub mask: Option<SourceRef>,
    pub markup: Option<SourceRef>,
}

/// Builds the request of `line`; `base` is the batch file's folder.
pub async fn line_request(line: &BatchLine, base: &Path) -> Result<LineRequest, Failure> {
    let inputs = &line.inputs;
    if !inputs.is_edit() {
        return Ok(LineRequest {
            request: ImageRequest::generate(line.params.clone()),
            sources: Vec::new(),
            mask: None,
            markup: None,
        });
    }
    let resolve = |text: &String| -> Result<PathBuf, Failure> {
        let path = Path::new(text);
        if super::images_cmd::is_stdin(path) {
            return Err(Failure::invalid(
                "a batch line cannot read an image from stdin",
            ));
        }
        Ok(match path.is_absolute() {
            true => path.to_path_buf(),
            false => base.join(path),
        })
    };
    let images = inputs
        .images
        .iter()
        .map(resolve)
        .collect::<Result<Vec<_>, _>>()?;
    let (pictures, sources) = super::images_cmd::read_inputs(&images).await?;
    let (mask, mask_ref) =
        super::images_cmd::read_one(inputs.mask.as_ref().map(resolve).transpose()?).await?;
    let (markup, markup_ref) =
        super::images_cmd::read_one(inputs.markup.as_ref().map(resolve).transpose()?).await?;
    Ok(LineRequest {
        request: ImageRequest::edit(line.params.clone(), pictures, mask).with_markup(markup),
        sources,
        mask: mask_ref,
        markup: markup_ref,
    })
}
