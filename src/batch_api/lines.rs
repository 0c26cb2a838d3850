//! One batch line as a request: a generation, or an edit of the pictures
//! it names (read from the batch file's folder when relative), with the
//! references its images' sidecars record. Both ways of running a batch
//! (here, and on the Batch API) build their requests with it.

use std::path::{Path, PathBuf};

use super::Bench;
use crate::api::{ImageRequest, Target, ValidRequest, validate};
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
        if super::inputs::is_stdin(path) {
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
    let (pictures, sources) = super::inputs::read_inputs(&images).await?;
    let (mask, mask_ref) =
        super::inputs::read_one(inputs.mask.as_ref().map(resolve).transpose()?).await?;
    let (markup, markup_ref) =
        super::inputs::read_one(inputs.markup.as_ref().map(resolve).transpose()?).await?;
    Ok(LineRequest {
        request: ImageRequest::edit(line.params.clone(), pictures, mask).with_markup(markup),
        sources,
        mask: mask_ref,
        markup: markup_ref,
    })
}

/// A line checked with the model table: ready to send, or why not.
pub async fn checked_line(
    bench: &Bench,
    line: &BatchLine,
    base: &Path,
) -> Result<(ValidRequest, LineRequest), String> {
    let built = line_request(line, base).await.map_err(|f| f.message)?;
    let target = Target {
        today: jiff::Zoned::now().date(),
        is_openai: bench.config.is_openai(),
    };
    match validate(built.request.clone(), &bench.catalog, &target) {
        Ok(valid) => Ok((valid, built)),
        Err(err) => {
            let why: Vec<String> = err.violations.iter().map(|v| v.to_string()).collect();
            Err(why.join("; "))
        }
    }
}
