//! The loop: owns the model, the terminal and the effect runner. Terminal
//! events and background results arrive on one path, are drained in
//! batches, go through `update`, and the screen is drawn only when
//! something changed. It ticks only while a job runs, so an idle app uses
//! no CPU.

mod boot;
mod capabilities;
mod external_editor;
mod frame_log;
mod frame_times;
mod painter;
mod signals;
mod terminal_input;

use std::time::{Duration, Instant};

use crossterm::event::Event;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

pub use boot::{Boot, build_model};

use crate::action::Action;
use crate::config::{Context, Exit, Failure, GlobalArgs};
use crate::effect::Effect;
use crate::effect::runner::{Runner, RunnerSetup};
use crate::images::graphics::Environment;
use crate::input::{Input as TerminalRead, Report};
use crate::model::Model;
use crate::store::app_state::AppState;
use crate::terminal::{self, Tui};
use crate::util::startuptime::StartupTimes;
use capabilities::Capabilities;
use painter::Painter;
use terminal_input::TerminalInput;

/// The demo server takes about this long per step, like a real one.
const DEMO_PACE: Duration = Duration::from_millis(600);
/// Spinner frame interval while jobs run.
const TICK: Duration = Duration::from_millis(100);
/// The shortest time between two frames: input that comes faster is
/// applied at once and drawn together.
const FRAME_GAP: Duration = Duration::from_millis(10);
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
            crate::config::failure::print_error(&failure.message);
            failure.exit as u8
        }
    }
}

async fn run_app(args: &GlobalArgs, times: &mut StartupTimes) -> Result<u8, Failure> {
    let ctx = Context::resolve(args, Some(DEMO_PACE)).await?;
    times.mark("settings, key and model table");
    let (keymap, key_warnings) = crate::config::loaders::keymap(&ctx.dirs);
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
        demo: ctx.demo.is_some(),
    };
    let mut runner = Runner::new(setup, tx).map_err(Failure::local)?;
    // The gallery is read while the terminal is asked and the first frame drawn.
    runner.start();
    times.mark("worker (the API client is built after the first frame)");
    let mut input = TerminalInput::start()
        .map_err(|e| Failure::local(format!("the terminal cannot be read: {e}")))?;
    let choice = args.graphics.or(ctx.settings.graphics).unwrap_or_default();
    let animate = !args.no_animate && ctx.settings.animate.unwrap_or(true);
    let mut capabilities = Capabilities::new(choice, Environment::of_process(model.size), animate);
    // The first frame shows no picture (the gallery is read after it), so
    // it does not wait for the terminal's answers: it is drawn as the
    // environment suggests while the queries travel, and redrawn once if
    // the answers change how pictures are drawn, before any picture is.
    let asked = ask_terminal(tui, &capabilities);
    model.session.images = capabilities.images;
    terminal::output().set_codes(capabilities.colour_codes());
    let mut painter = Painter::new(model.session.images);
    draw(tui, &mut painter, &model)?;
    times.mark("first frame drawn");
    if asked {
        take_answers(&mut input, &mut capabilities).await;
    }
    if capabilities.images != model.session.images {
        model.session.images = capabilities.images;
        terminal::output().set_codes(capabilities.colour_codes());
        painter.change(capabilities.images);
        draw(tui, &mut painter, &model)?;
    }
    times.mark("terminal answered about images");
    runner.warm_connection();
    // Debug builds only: the end-to-end test's way to prove that a panic on
    // the UI thread gives the terminal back with the message readable.
    #[cfg(debug_assertions)]
    if std::env::var_os("ARTTY_DEBUG_PANIC_AFTER_FIRST_FRAME").is_some() {
        panic!("ARTTY_DEBUG_PANIC_AFTER_FIRST_FRAME is set");
    }
    let mut io = LoopIo {
        tui,
        painter: &mut painter,
        runner: &mut runner,
        input: &mut input,
        capabilities: &mut capabilities,
        startup: Some(times),
        stopped_by_us: false,
    };
    let stop = event_loop(&mut io, &mut model, rx).await;
    // Whatever is typed from here on is for the shell.
    io.input.pause();
    finish(stop, io.runner, &model)
}

fn draw(tui: &mut Tui, painter: &mut Painter, model: &Model) -> Result<(), Failure> {
    painter
        .draw(tui, model)
        .map_err(|e| Failure::local(format!("drawing failed: {e}")))
}

/// How long start-up waits for the terminal's answers before drawing; a
/// local terminal answers in a few milliseconds. Answers that come later
/// are taken when they come.
const PROBE_DEADLINE: Duration = Duration::from_millis(500);

/// Sends the image queries; true when they went out.
fn ask_terminal(tui: &mut Tui, capabilities: &Capabilities) -> bool {
    capabilities
        .queries()
        .is_some_and(|queries| write_raw(tui, &queries).is_ok())
}

/// Waits for the answers to the image queries, or the deadline.
async fn take_answers(input: &mut TerminalInput, capabilities: &mut Capabilities) {
    input
        .answers(PROBE_DEADLINE, |report| {
            capabilities.absorb(report);
            capabilities.settled()
        })
        .await;
    tracing::info!(
        "images: {:?}, replies {:?}",
        capabilities.images,
        capabilities.replies
    );
}

fn write_raw(tui: &mut Tui, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let out = tui.backend_mut();
    out.write_all(bytes)?;
    out.flush()
}

fn finish(stop: Stop, runner: &mut Runner, model: &Model) -> Result<u8, Failure> {
    let reason = match &stop {
        Stop::Quit => "quit",
        Stop::Signal(name, _) => name,
        Stop::TerminalLost(_) => "terminal lost",
    };
    runner.shut_down(reason);
    runner.save_state_now(&crate::update::app_state(model));
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
            crate::util::inert::inert(&error, 500)
        );
    }
}

async fn event_loop(
    io: &mut LoopIo<'_>,
    model: &mut Model,
    mut rx: UnboundedReceiver<Action>,
) -> Stop {
    let mut frame_times = frame_times::FrameTimes::from_env();
    let stop = run_loop(io, model, &mut rx, &mut frame_times).await;
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
    input: &'a mut TerminalInput,
    capabilities: &'a mut Capabilities,
    /// Start-up times, until the gallery's first frame is drawn.
    startup: Option<&'a mut StartupTimes>,
    /// artty stopped itself (Ctrl+Z, SIGTSTP) and already took the
    /// terminal back: the SIGCONT that follows needs no redraw.
    stopped_by_us: bool,
}

async fn run_loop(
    io: &mut LoopIo<'_>,
    model: &mut Model,
    rx: &mut UnboundedReceiver<Action>,
    frame_times: &mut frame_times::FrameTimes,
) -> Stop {
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let Ok(mut signals) = signals::Signals::install() else {
        return Stop::TerminalLost("signal handlers could not be installed".into());
    };
    let mut animation = crate::layout::pictures::steps_animation(model);
    // The screen is drawn only when something changed it, and at most once
    // per FRAME_GAP: a burst of input (a paste, a held key, a flood of
    // results) is applied as it comes and drawn when the gap is over.
    let mut dirty = true;
    let mut last_frame: Option<Instant> = None;
    // When a key arrived that the next frame answers, for ARTTY_DEBUG_FRAMES.
    let mut key_woke: Option<Instant> = None;
    loop {
        let due = last_frame.map_or_else(Instant::now, |at| at + FRAME_GAP);
        let rest = model.gallery.settle.due();
        let first = tokio::select! {
            read = io.input.next() => match read {
                Ok(read) => Some(Input::from(read)),
                Err(why) => return Stop::TerminalLost(why),
            },
            signalled = signals.next() => match signalled {
                signals::Signalled::Resized => Some(resized()),
                signals::Signalled::Suspend => Some(Input::Suspend),
                signals::Signalled::Continued => Some(Input::Continued),
                signals::Signalled::Stop(name, code) => return Stop::Signal(name, code),
            },
            Some(action) = rx.recv() => Some(Input::Result(action)),
            _ = ticker.tick(), if model.animating() || animation => Some(Input::Result(Action::Tick)),
            _ = tokio::time::sleep_until(due.into()), if dirty => None,
            _ = tokio::time::sleep_until(rest.unwrap_or(due).into()), if rest.is_some() => {
                Some(Input::Result(Action::Rested))
            }
        };
        let woke = Instant::now();
        model.now = woke;
        if let Some(first) = first {
            let mut pending = vec![first];
            if let Err(why) = drain(io.input, rx, &mut pending) {
                return Stop::TerminalLost(why);
            }
            if key_woke.is_none()
                && pending
                    .iter()
                    .any(|i| matches!(i, Input::Terminal(Event::Key(_))))
            {
                key_woke = Some(woke);
            }
            for input in pending {
                dirty |= take(io, model, input);
            }
        }
        if model.quit {
            return Stop::Quit;
        }
        if !dirty || last_frame.is_some_and(|at| woke < at + FRAME_GAP) {
            continue;
        }
        if draw(io.tui, io.painter, model).is_err() {
            return Stop::TerminalLost("drawing failed".into());
        }
        dirty = false;
        last_frame = Some(woke);
        animation = crate::layout::pictures::steps_animation(model);
        if let Some(at) = key_woke.take() {
            frame_times.record(at);
        }
        if model.gallery.reading.is_some() || model.gallery.loaded {
            note_gallery_drawn(io, model);
        }
    }
}

/// Applies one input; true when the screen may have changed. Keys are read
/// against the model as it is after the previous input: `Esc q` leaves the
/// text field, then quits. Input no action comes from (a pointer move, an
/// unbound key) leaves the screen as it is.
fn take(io: &mut LoopIo<'_>, model: &mut Model, input: Input) -> bool {
    let (action, redraw) = match input {
        Input::Terminal(event) => (crate::event::to_action(model, event), false),
        // A lost kitty image is sent again with the next frame.
        Input::Report(report) => (on_report(io, &report), true),
        Input::Suspend => (suspend(io), true),
        Input::Continued => (continued(io), true),
        Input::Result(action) => (Some(action), false),
    };
    match action {
        Some(action) => {
            apply(io, model, action);
            true
        }
        None => redraw,
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
    /// An answer from the terminal, to a query made at any time.
    Report(Report),
    /// SIGTSTP.
    Suspend,
    /// SIGCONT.
    Continued,
    Result(Action),
}

/// Stops until continued, with the terminal given back meanwhile; then
/// everything is drawn again, images sent again (the shell had the screen).
fn suspend(io: &mut LoopIo<'_>) -> Option<Action> {
    io.stopped_by_us = true;
    io.input.pause();
    let resumed = terminal::stop_until_continued(io.tui);
    io.painter.screen_lost();
    io.input.resume();
    if let Err(e) = resumed {
        tracing::warn!("taking the terminal back after a stop: {e}");
    }
    // The window may have changed size while stopped.
    let (width, height) = crossterm::terminal::size().ok()?;
    Some(Action::Resize { width, height })
}

/// SIGCONT. After artty's own stop the terminal is already taken back,
/// but a shell may set its saved modes on `fg` after continuing the job,
/// so raw mode is set again. After a stop artty never saw (SIGSTOP, which
/// cannot be caught) the shell had the screen and cooked the terminal:
/// all of it is taken back and drawn again.
fn continued(io: &mut LoopIo<'_>) -> Option<Action> {
    if std::mem::take(&mut io.stopped_by_us) {
        if let Err(e) = terminal::raw_again() {
            tracing::warn!("setting raw mode again after a stop: {e}");
        }
        return None;
    }
    if let Err(e) = terminal::take_back(io.tui) {
        tracing::warn!("taking the terminal back after SIGCONT: {e}");
    }
    io.painter.screen_lost();
    let (width, height) = crossterm::terminal::size().ok()?;
    Some(Action::Resize { width, height })
}

impl From<TerminalRead> for Input {
    fn from(read: TerminalRead) -> Input {
        match read {
            TerminalRead::Event(event) => Input::Terminal(event),
            TerminalRead::Report(report) => Input::Report(report),
        }
    }
}

/// SIGWINCH: the terminal's new size, as a resize event.
fn resized() -> Input {
    match crossterm::terminal::size() {
        Ok((width, height)) => Input::Terminal(Event::Resize(width, height)),
        Err(_) => Input::Result(Action::Tick),
    }
}

/// A kitty error for an image means the terminal no longer holds it (a
/// clear freed it): it is sent again with the next frame. Any other
/// answer may change what the terminal can draw.
fn on_report(io: &mut LoopIo<'_>, report: &Report) -> Option<Action> {
    if let Report::Kitty {
        id: Some(id),
        ok: false,
        message,
    } = report
        && *id != crate::images::detect::KITTY_QUERY_ID
    {
        tracing::info!("kitty image {id}: {message}");
        io.painter.lost(*id);
        return None;
    }
    let images = io.capabilities.absorb(report)?;
    terminal::output().set_codes(io.capabilities.colour_codes());
    io.painter.change(images);
    Some(Action::TerminalImages(images))
}

/// Everything already waiting, terminal input and results alike.
fn drain(
    input: &mut TerminalInput,
    rx: &mut UnboundedReceiver<Action>,
    pending: &mut Vec<Input>,
) -> Result<(), String> {
    while let Some(read) = input.try_next() {
        pending.push(Input::from(read?));
    }
    while let Ok(action) = rx.try_recv() {
        pending.push(Input::Result(action));
    }
    Ok(())
}

fn apply(io: &mut LoopIo<'_>, model: &mut Model, action: Action) {
    for effect in crate::update::update(model, action) {
        match effect {
            Effect::Copy(text) => {
                let _ = terminal::copy_osc52(io.tui, &text);
            }
            Effect::OpenEditor(text) => {
                let result = external_editor::editor_command().and_then(|command| {
                    // The editor reads the terminal: stop reading it meanwhile.
                    io.input.pause();
                    let result = terminal::suspended(io.tui, || {
                        external_editor::edit_in_editor(&text, &command)
                    })
                    .unwrap_or_else(|e| Err(format!("could not hand over the terminal: {e}")));
                    // The editor had the screen: what the terminal held is unknown.
                    io.painter.screen_lost();
                    io.input.resume();
                    result
                });
                let _ = io.runner.sender().send(Action::EditorClosed(result));
            }
            Effect::Suspend => {
                if let Some(resized) = suspend(io) {
                    let _ = io.runner.sender().send(resized);
                }
            }
            other => io.runner.run(other),
        }
    }
}
