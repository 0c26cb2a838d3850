//! The loop: owns the model, the terminal and the effect runner. Terminal
//! events and background results arrive on one path, are drained in
//! batches, go through `update`, and the screen is drawn only when
//! something changed. It ticks only while a job runs, so an idle app uses
//! no CPU.

mod boot;
mod editor;
mod frame_times;
mod painter;

use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream};
use std::task::Poll;

use futures_util::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

pub use boot::{Boot, build_model, load_keymap};

use crate::action::Action;
use crate::cli::args::GlobalArgs;
use crate::cli::context::Context;
use crate::cli::exit::{Exit, Failure};
use crate::effect::Effect;
use crate::effect::runner::{Runner, RunnerSetup};
use crate::images::detect;
use crate::images::graphics::{Environment, GraphicsChoice, TerminalImages};
use crate::images::kitty::Route;
use crate::model::Model;
use crate::startuptime::StartupTimes;
use crate::store::app_state::AppState;
use crate::terminal::{self, Tui};
use painter::Painter;

/// The demo server takes about this long per step, like a real one.
const DEMO_PACE: Duration = Duration::from_millis(600);
/// Spinner frame interval while jobs run.
const TICK: Duration = Duration::from_millis(100);
const DEFAULT_SLOTS: usize = 2;

/// Why the loop ended.
enum Stop {
    Quit,
    Signal(&'static str, u8),
    TerminalLost(String),
}

/// Runs the interactive app; returns the process exit code (128 + the
/// signal's number when stopped by one, as shells report it).
pub async fn run(args: &GlobalArgs, times: &mut StartupTimes) -> u8 {
    match run_app(args, times).await {
        Ok(code) => code,
        Err(failure) => {
            crate::cli::output::print_error(&failure.message);
            failure.exit as u8
        }
    }
}

async fn run_app(args: &GlobalArgs, times: &mut StartupTimes) -> Result<u8, Failure> {
    let ctx = Context::resolve(args, Some(DEMO_PACE)).await?;
    times.mark("settings, key and model table");
    let (keymap, key_warnings) = load_keymap(&ctx);
    let (state, state_warning) = AppState::load(&ctx.dirs.app_state());
    let mut model = build_model(&ctx, Boot::from_context(&ctx), keymap, state);
    // Every start-up problem at once: a later one must not hide an earlier.
    let warnings: Vec<String> = (ctx.warnings.iter().cloned())
        .chain(key_warnings)
        .chain(state_warning)
        .collect();
    if !warnings.is_empty() {
        model.set_status(crate::model::Level::Warning, warnings.join(" · "));
    }
    times.mark("model");
    let mut tui =
        terminal::enter().map_err(|e| Failure::local(format!("no usable terminal: {e}")))?;
    times.mark("terminal ready");
    let result = with_terminal(&mut tui, args, ctx, model, times).await;
    // Whatever happened above, the terminal is given back.
    let _ = terminal::leave();
    result
}

async fn with_terminal(
    tui: &mut Tui,
    args: &GlobalArgs,
    ctx: Context,
    mut model: Model,
    times: &mut StartupTimes,
) -> Result<u8, Failure> {
    let size = tui.size().map_err(|e| Failure::local(e.to_string()))?;
    model.size = (size.width, size.height);
    let (tx, rx) = unbounded_channel();
    let setup = RunnerSetup {
        config: ctx.config.clone(),
        dirs: ctx.dirs.clone(),
        gallery_dir: ctx.gallery_dir.clone(),
        catalog: ctx.catalog.clone(),
        slots: args
            .jobs
            .map(usize::from)
            .or(ctx.settings.jobs)
            .unwrap_or(DEFAULT_SLOTS),
        run_tag: model.session.run_tag.clone(),
    };
    let mut runner = Runner::new(setup, tx).map_err(Failure::local)?;
    // The gallery is read while the terminal is asked and the first frame drawn.
    runner.start();
    times.mark("worker and API client");
    let choice = args.graphics.or(ctx.settings.graphics).unwrap_or_default();
    model.session.images = TerminalImages {
        animate: !args.no_animate && ctx.settings.animate.unwrap_or(true),
        ..ask_terminal(choice, model.size)
    };
    times.mark("terminal asked about images");
    let mut painter = Painter::new(model.session.images);
    draw(tui, &mut painter, &model)?;
    times.mark("first frame drawn");
    // Debug builds only: the end-to-end test's way to prove that a panic on
    // the UI thread gives the terminal back with the message readable.
    #[cfg(debug_assertions)]
    if std::env::var_os("ARTTY_DEBUG_PANIC_AFTER_FIRST_FRAME").is_some() {
        panic!("ARTTY_DEBUG_PANIC_AFTER_FIRST_FRAME is set");
    }
    let stop = event_loop(tui, &mut painter, &mut model, &mut runner, rx, times).await;
    finish(stop, &mut runner, &model)
}

fn draw(tui: &mut Tui, painter: &mut Painter, model: &Model) -> Result<(), Failure> {
    painter
        .draw(tui, model)
        .map_err(|e| Failure::local(format!("drawing failed: {e}")))
}

/// How long the terminal may take to answer the image queries; a local
/// terminal answers in a few milliseconds, an SSH link in one round trip.
const PROBE_DEADLINE: Duration = Duration::from_millis(500);

/// Asks the terminal what it can draw; runs before the input reader starts,
/// since the answers arrive as input.
fn ask_terminal(choice: GraphicsChoice, cells: (u16, u16)) -> TerminalImages {
    let env = Environment::of_process(cells);
    let route = if env.in_tmux {
        Route::Tmux
    } else {
        Route::Direct
    };
    let replies = if choice.needs_probe() {
        detect::ask_terminal(route, PROBE_DEADLINE).unwrap_or_default()
    } else {
        detect::Replies::default()
    };
    let images = TerminalImages::choose(choice, &replies, &env);
    tracing::info!("images: {:?}, replies {replies:?}", images);
    images
}

fn finish(stop: Stop, runner: &mut Runner, model: &Model) -> Result<u8, Failure> {
    let reason = match &stop {
        Stop::Quit => "quit",
        Stop::Signal(name, _) => name,
        Stop::TerminalLost(_) => "terminal lost",
    };
    runner.shut_down(reason);
    // Leave first, so what follows is printed on the normal screen.
    let _ = terminal::leave();
    rescue_unsaved(model);
    match stop {
        Stop::Quit => Ok(Exit::Done as u8),
        Stop::Signal(name, code) => {
            eprintln!("artty: stopped by {name}; running jobs are kept in the journal");
            Ok(code)
        }
        Stop::TerminalLost(why) => Err(Failure::local(format!("the terminal went away: {why}"))),
    }
}

/// Images the gallery refused are still only in memory: on the way out
/// they go to the rescue folder, and the normal screen says where.
fn rescue_unsaved(model: &Model) {
    let kept: Vec<_> = model.jobs.list.iter().filter_map(|j| j.kept()).collect();
    if kept.is_empty() {
        return;
    }
    let folder = crate::store::rescue::folder();
    let (mut saved, mut errors) = (0, Vec::new());
    for unsaved in kept {
        match crate::store::rescue::save(&unsaved.generation, &unsaved.record) {
            Ok(images) => saved += images.len(),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if saved > 0 {
        eprintln!(
            "artty: {saved} image(s) the gallery refused are in {}; move them with their .json files into the gallery",
            folder.display()
        );
    }
    for error in errors {
        eprintln!(
            "artty: images could not be rescued: {}",
            crate::inert::inert(&error, 500)
        );
    }
}

async fn event_loop(
    tui: &mut Tui,
    painter: &mut Painter,
    model: &mut Model,
    runner: &mut Runner,
    mut rx: UnboundedReceiver<Action>,
    times: &mut StartupTimes,
) -> Stop {
    let mut events = Some(EventStream::new());
    let mut frame_times = frame_times::FrameTimes::from_env();
    let mut io = LoopIo {
        tui,
        painter,
        runner,
        events: &mut events,
        startup: Some(times),
    };
    let stop = run_loop(&mut io, model, &mut rx, &mut frame_times).await;
    if let Some(times) = io.startup.take() {
        // Quit before the gallery was read: the phases so far.
        let _ = times.write();
    }
    frame_times.write();
    stop
}

/// What the loop works with besides the model.
struct LoopIo<'a> {
    tui: &'a mut Tui,
    painter: &'a mut Painter,
    runner: &'a mut Runner,
    events: &'a mut Option<EventStream>,
    /// Start-up times, until the gallery's first frame is drawn.
    startup: Option<&'a mut StartupTimes>,
}

async fn run_loop(
    io: &mut LoopIo<'_>,
    model: &mut Model,
    rx: &mut UnboundedReceiver<Action>,
    frame_times: &mut frame_times::FrameTimes,
) -> Stop {
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
        signal(SignalKind::interrupt()),
    ) else {
        return Stop::TerminalLost("signal handlers could not be installed".into());
    };
    let mut animation = crate::ui::pictures::steps_animation(model);
    loop {
        let first = tokio::select! {
            event = next_event(io.events) => match event {
                Ok(event) => Input::Terminal(event),
                Err(why) => return Stop::TerminalLost(why),
            },
            Some(action) = rx.recv() => Input::Result(action),
            _ = ticker.tick(), if model.animating() || animation => Input::Result(Action::Tick),
            _ = term.recv() => return Stop::Signal("SIGTERM", 143),
            _ = hup.recv() => return Stop::Signal("SIGHUP", 129),
            _ = int.recv() => return Stop::Signal("SIGINT", 130),
        };
        let woke = Instant::now();
        model.now = woke;
        let mut pending = vec![first];
        drain(io.events, rx, &mut pending).await;
        let had_key = pending
            .iter()
            .any(|i| matches!(i, Input::Terminal(Event::Key(_))));
        for input in pending {
            // Keys are read against the model as it is after the previous
            // input: `Esc q` leaves the text field, then quits.
            let action = match input {
                Input::Terminal(event) => crate::event::to_action(model, event),
                Input::Result(action) => Some(action),
            };
            if let Some(action) = action {
                apply(io, model, action);
            }
        }
        if model.quit {
            return Stop::Quit;
        }
        if draw(io.tui, io.painter, model).is_err() {
            return Stop::TerminalLost("drawing failed".into());
        }
        animation = crate::ui::pictures::steps_animation(model);
        if had_key {
            frame_times.record(woke);
        }
        if model.gallery.reading.is_some() || model.gallery.loaded {
            note_gallery_drawn(io, model);
        }
    }
}

/// `--startuptime`: the first frame with the gallery in it ends start-up.
fn note_gallery_drawn(io: &mut LoopIo<'_>, model: &mut Model) {
    if let Some(times) = io.startup.take() {
        times.mark("first frame with the gallery drawn");
        if let Err(e) = times.write() {
            model.set_status(crate::model::Level::Warning, format!("--startuptime: {e}"));
        }
    }
}

/// One thing that woke the loop.
enum Input {
    Terminal(Event),
    Result(Action),
}

async fn next_event(events: &mut Option<EventStream>) -> Result<Event, String> {
    match events.as_mut() {
        Some(stream) => match stream.next().await {
            Some(Ok(event)) => Ok(event),
            Some(Err(e)) => Err(e.to_string()),
            None => Err("input closed".into()),
        },
        None => std::future::pending().await,
    }
}

/// Everything already waiting, terminal input and results alike. The
/// stream is polled with this task's own waker, so input arriving later
/// still wakes the loop.
async fn drain(
    events: &mut Option<EventStream>,
    rx: &mut UnboundedReceiver<Action>,
    pending: &mut Vec<Input>,
) {
    if let Some(stream) = events.as_mut() {
        loop {
            let polled = std::future::poll_fn(|cx| Poll::Ready(stream.poll_next_unpin(cx))).await;
            match polled {
                Poll::Ready(Some(Ok(event))) => pending.push(Input::Terminal(event)),
                _ => break,
            }
        }
    }
    while let Ok(action) = rx.try_recv() {
        pending.push(Input::Result(action));
    }
}

fn apply(io: &mut LoopIo<'_>, model: &mut Model, action: Action) {
    for effect in crate::update::update(model, action) {
        match effect {
            Effect::Copy(text) => {
                let _ = terminal::copy_osc52(io.tui, &text);
            }
            Effect::OpenEditor(text) => {
                let result = editor::editor_command().and_then(|command| {
                    // The editor reads the terminal: stop reading it meanwhile.
                    drop(io.events.take());
                    let result =
                        terminal::suspended(io.tui, || editor::edit_in_editor(&text, &command))
                            .unwrap_or_else(|e| {
                                Err(format!("could not hand over the terminal: {e}"))
                            });
                    io.painter.invalidate();
                    *io.events = Some(EventStream::new());
                    result
                });
                let _ = io.runner.sender().send(Action::EditorClosed(result));
            }
            other => io.runner.run(other),
        }
    }
}
