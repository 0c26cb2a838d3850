//! `generate`, `edit` and `vary`: build the request from flags, check it
//! against the model table, send it, save every image, print where.

use std::path::PathBuf;

use super::args::ParamArgs;
use super::output::Output;
use crate::api::request::SvgOptions;
use crate::api::{Endpoint, ImageParams, ImageRequest, Target, validate};
use crate::batch_api::inputs::{is_stdin, read_inputs, read_one};
use crate::config::context::Context;
use crate::config::failure::Failure;
use crate::store::sidecar::RequestRecord;

/// What the user asked for, before files are read.
pub enum Ask {
    Generate {
        prompt: String,
    },
    Edit {
        prompt: String,
        images: Vec<PathBuf>,
        mask: Option<PathBuf>,
        markup: Option<PathBuf>,
    },
    Vary {
        image: PathBuf,
    },
}

pub async fn run(ctx: &Context, out: &Output, ask: Ask, args: &ParamArgs) -> Result<(), Failure> {
    let (request, record) = build(ctx, ask, args).await?;
    let target = Target {
        today: jiff::Zoned::now().date(),
        is_openai: ctx.config.is_openai(),
    };
    let valid = validate(request, &ctx.catalog, &target).map_err(|err| {
        let lines: Vec<String> = err.violations.iter().map(|v| format!("  {v}")).collect();
        Failure::invalid(format!("the request was not sent:\n{}", lines.join("\n")))
    })?;
    for warning in &valid.warnings {
        out.warn(warning);
    }
    if ctx.config.api_key.is_none() {
        return Err(ctx.no_key());
    }
    let client = ctx.client()?;
    let mut line = super::progress::RequestLine::new(out.progress_live());
    let result = client.create(&valid, &mut |p| line.on(&p)).await;
    line.done();
    let generation = result?;
    if let Some(warning) = &generation.warning {
        out.warn(warning);
    }
    let saved =
        crate::batch_api::save::save_or_rescue(ctx.gallery_dir.clone(), generation, record).await?;
    for image in &saved {
        out.saved(image);
    }
    Ok(())
}

/// The prompts of one `generate`: the argument (or stdin for `-`, one
/// prompt, or one a line with `each_line`), then each `--prompt`.
pub fn prompts(
    first: Option<String>,
    more: Vec<String>,
    each_line: bool,
) -> Result<Vec<String>, Failure> {
    let mut prompts = Vec::new();
    match first {
        Some(dash) if dash == "-" && each_line => {
            let text = read_prompt(dash)?;
            prompts.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_string),
            );
        }
        Some(_) if each_line => {
            return Err(Failure::invalid(
                "--each-line reads stdin: give `-` as the prompt",
            ));
        }
        Some(prompt) => prompts.push(prompt),
        None => {}
    }
    prompts.extend(more);
    if prompts.is_empty() {
        return Err(Failure::invalid("no prompt: stdin held no line with text"));
    }
    Ok(prompts)
}

/// One request per prompt, one after another. A failed one is reported
/// and the rest still run; the command ends with the last failure's status.
pub async fn run_each(
    ctx: &Context,
    out: &Output,
    prompts: Vec<String>,
    args: &ParamArgs,
) -> Result<(), Failure> {
    let mut last = Ok(());
    for prompt in prompts {
        if let Err(failure) = run(ctx, out, Ask::Generate { prompt }, args).await {
            // An earlier failure is printed now; the last one is the
            // command's own, printed as it ends.
            if let Err(earlier) = std::mem::replace(&mut last, Err(failure)) {
                out.failure(&earlier);
            }
        }
    }
    last
}

async fn build(
    ctx: &Context,
    ask: Ask,
    args: &ParamArgs,
) -> Result<(ImageRequest, RequestRecord), Failure> {
    let endpoint = match ask {
        Ask::Generate { .. } => Endpoint::Generations,
        Ask::Edit { .. } => Endpoint::Edits,
        Ask::Vary { .. } => Endpoint::Variations,
    };
    let mut params = params_for(ctx, args, endpoint);
    let (request, sources, (mask_ref, markup_ref)) = match ask {
        Ask::Generate { prompt } => {
            params.prompt = Some(read_prompt(prompt)?);
            (ImageRequest::generate(params), Vec::new(), (None, None))
        }
        Ask::Edit {
            prompt,
            images,
            mask,
            markup,
        } => {
            let readers = std::iter::once(std::path::Path::new(&prompt))
                .chain(images.iter().map(PathBuf::as_path))
                .chain(mask.as_deref())
                .chain(markup.as_deref())
                .filter(|path| is_stdin(path))
                .count();
            if readers > 1 {
                return Err(Failure::invalid(
                    "stdin (`-`) can feed one of the prompt, an image, the mask or the markup",
                ));
            }
            params.prompt = Some(read_prompt(prompt)?);
            let (inputs, sources) = read_inputs(&images).await?;
            let (mask, mask_ref) = read_one(mask).await?;
            let (markup, markup_ref) = read_one(markup).await?;
            let request = ImageRequest::edit(params, inputs, mask).with_markup(markup);
            (request, sources, (mask_ref, markup_ref))
        }
        Ask::Vary { image } => {
            let (mut inputs, sources) = read_inputs(std::slice::from_ref(&image)).await?;
            let input = inputs
                .pop()
                .ok_or_else(|| Failure::invalid("an input image is required"))?;
            (ImageRequest::vary(params, input), sources, (None, None))
        }
    };
    let prices = ctx
        .catalog
        .prices(&request.params.model, ctx.demo.is_some());
    let record = RequestRecord {
        sources,
        mask: mask_ref,
        markup: markup_ref,
        ..RequestRecord::new(
            request.endpoint,
            request.params.clone(),
            ctx.server_label(),
            prices,
        )
    };
    Ok((request, record))
}

/// The flags' parameters, with the model from the flag, the settings or
/// the model table's default.
pub fn default_params(ctx: &Context, args: &ParamArgs) -> ImageParams {
    params_for(ctx, args, Endpoint::Generations)
}

/// [`default_params`] for `endpoint`: a configured model that does not
/// serve it gives way to one that does, so `vary` without `-m` reaches
/// the model that makes variations instead of failing on the default.
fn params_for(ctx: &Context, args: &ParamArgs, endpoint: Endpoint) -> ImageParams {
    let serves = |name: &String| ctx.catalog.get(name).is_none_or(|m| m.serves(endpoint));
    let model = args
        .model
        .clone()
        .or(ctx.settings.model.clone().filter(serves))
        .or_else(|| ctx.catalog.default_for(endpoint).map(|m| m.name.clone()));
    params_from(args, model.unwrap_or_default())
}

fn params_from(args: &ParamArgs, model: String) -> ImageParams {
    ImageParams {
        model,
        prompt: None,
        n: args.n,
        size: args.size.clone(),
        quality: args.quality.clone(),
        style: args.style.clone(),
        response_format: args.response_format.clone(),
        background: args.background.clone(),
        output_format: args.output_format.clone(),
        output_compression: args.output_compression,
        moderation: args.moderation.clone(),
        input_fidelity: args.input_fidelity.clone(),
        stream: args.stream.then_some(true),
        partial_images: args.partial_images,
        complexity: args.complexity.clone(),
        frame_count: args.frame_count,
        frame_duration_ms: args.frame_duration_ms,
        svg: SvgOptions::of(args.svg_model.clone(), args.svg_effort.clone()),
        safety_identifier: args.safety_identifier.clone(),
        user: args.user.clone(),
    }
}

/// The prompt argument, or stdin for `-`.
fn read_prompt(prompt: String) -> Result<String, Failure> {
    if prompt != "-" {
        return Ok(prompt);
    }
    let text = crate::store::local_file::read_stdin_text(crate::store::local_file::limit::SETTINGS)
        .map_err(|e| Failure::invalid(format!("could not read the prompt from stdin: {e}")))?;
    Ok(text.trim_end_matches(['\n', '\r']).to_string())
}
