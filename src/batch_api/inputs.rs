//! Pictures read from paths for an edit's request: each read within the
//! edit-input limit, typed by its bytes, and recorded as the sidecar's
//! reference. The command line's edits and batch lines both read them so.

use std::path::PathBuf;

use bytes::Bytes;

use crate::api::InputImage;
use crate::config::failure::Failure;
use crate::store::sidecar::SourceRef;
use crate::util::inert::inert;

/// `-` names stdin, as in every Unix tool.
pub fn is_stdin(path: &std::path::Path) -> bool {
    path.as_os_str() == "-"
}

/// An optional single input (a mask or a markup), read like the images.
pub async fn read_one(
    path: Option<PathBuf>,
) -> Result<(Option<InputImage>, Option<SourceRef>), Failure> {
    let Some(path) = path else {
        return Ok((None, None));
    };
    let (mut one, mut refs) = read_inputs(std::slice::from_ref(&path)).await?;
    Ok((one.pop(), refs.pop()))
}

pub async fn read_inputs(paths: &[PathBuf]) -> Result<(Vec<InputImage>, Vec<SourceRef>), Failure> {
    if paths.iter().filter(|path| is_stdin(path)).count() > 1 {
        return Err(Failure::invalid(
            "stdin (`-`) can be only one of the input images",
        ));
    }
    let mut inputs = Vec::with_capacity(paths.len());
    let mut refs = Vec::with_capacity(paths.len());
    for path in paths {
        let from_stdin = is_stdin(path);
        let shown = match from_stdin {
            true => "stdin".to_string(),
            false => inert(&path.display().to_string(), 200),
        };
        let named = path.clone();
        let bytes = tokio::task::spawn_blocking(move || match from_stdin {
            true => {
                crate::store::local_file::read_stdin(crate::store::local_file::limit::EDIT_INPUT)
            }
            false => crate::store::local_file::read_edit_input(&named),
        })
        .await
        .map_err(|e| Failure::local(e.to_string()))?
        .map_err(|e| Failure::invalid(format!("could not read {shown}: {e}")))?;
        let name = match from_stdin {
            // The API reads the type from the part's name: the one the
            // bytes are, not a guess.
            true => crate::images::probe::ImageFormat::sniff(&bytes)
                .map_or("stdin".to_string(), |format| {
                    format!("stdin.{}", format.extension())
                }),
            false => crate::api::request::sent_name(path),
        };
        let input = InputImage::from_bytes(name, Bytes::from(bytes))
            .map_err(|e| Failure::invalid(format!("{shown}: {e}")))?;
        let recorded = match from_stdin {
            true => "-".to_string(),
            false => std::fs::canonicalize(path)
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string(),
        };
        refs.push(SourceRef {
            path: recorded,
            format: input.info.format.api_name().to_string(),
            width: input.info.width,
            height: input.info.height,
        });
        inputs.push(input);
    }
    Ok((inputs, refs))
}
