//! The loop's side of terminal input: the reader thread, the channel it
//! sends on, and what came in while start-up waited for the terminal's
//! answers (keys typed then are kept, in order, not lost).

use std::collections::VecDeque;
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::input::Input;
use crate::input::reader::{Read, Reader};

pub struct TerminalInput {
    reader: Option<Reader>,
    tx: UnboundedSender<Read>,
    rx: UnboundedReceiver<Read>,
    backlog: VecDeque<Read>,
}

impl TerminalInput {
    pub fn start() -> std::io::Result<TerminalInput> {
        let (tx, rx) = unbounded_channel();
        let reader = Reader::start(tx.clone())?;
        Ok(TerminalInput {
            reader: Some(reader),
            tx,
            rx,
            backlog: VecDeque::new(),
        })
    }

    /// Stops reading, so another program (an editor) gets every byte.
    pub fn pause(&mut self) {
        if let Some(mut reader) = self.reader.take() {
            reader.stop();
        }
    }

    /// Reads again; if the terminal cannot be read, the loop hears so next.
    pub fn resume(&mut self) {
        if self.reader.is_none() {
            match Reader::start(self.tx.clone()) {
                Ok(reader) => self.reader = Some(reader),
                Err(e) => self
                    .backlog
                    .push_back(Err(format!("the terminal cannot be read again: {e}"))),
            }
        }
    }

    /// The next input: what was held back first, then what comes.
    pub async fn next(&mut self) -> Read {
        if let Some(read) = self.backlog.pop_front() {
            return read;
        }
        self.rx
            .recv()
            .await
            .unwrap_or_else(|| Err("input closed".into()))
    }

    /// Everything already waiting.
    pub fn try_next(&mut self) -> Option<Read> {
        self.backlog.pop_front().or_else(|| self.rx.try_recv().ok())
    }

    /// Hands `take` the reports that arrive within `deadline`, until it
    /// returns true; any other input is kept for the loop.
    pub async fn answers(
        &mut self,
        deadline: Duration,
        mut take: impl FnMut(&crate::input::Report) -> bool,
    ) {
        let until = tokio::time::Instant::now() + deadline;
        loop {
            match tokio::time::timeout_at(until, self.rx.recv()).await {
                Ok(Some(Ok(Input::Report(report)))) => {
                    if take(&report) {
                        return;
                    }
                }
                Ok(Some(other)) => self.backlog.push_back(other),
                Ok(None) | Err(_) => return,
            }
        }
    }
}
