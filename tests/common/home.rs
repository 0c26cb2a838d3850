//! A private home for the real binary: its own config, data and cache
//! folders, no OpenAI variables from the caller, and no way off loopback.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

pub struct Home {
    pub root: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            root: tempfile::tempdir().unwrap(),
        }
    }

    pub fn gallery(&self) -> PathBuf {
        self.root.path().join("data/gallery")
    }

    pub fn config(&self) -> PathBuf {
        self.root.path().join("config")
    }

    /// The binary with private folders, no OpenAI variables from the caller,
    /// and any non-loopback traffic sent to a dead proxy.
    pub fn artty(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_artty"));
        command
            .args(args)
            .env("ARTTY_CONFIG_DIR", self.config())
            .env("ARTTY_DATA_DIR", self.root.path().join("data"))
            .env("ARTTY_CACHE_DIR", self.root.path().join("cache"))
            .env_remove("OPENAI_API_KEY")
            .env_remove("OPENAI_BASE_URL")
            .env_remove("OPENAI_ORG_ID")
            .env_remove("OPENAI_PROJECT_ID")
            .env_remove("OPENAI_API_VERSION")
            .env_remove("AZURE_OPENAI_ENDPOINT")
            .env_remove("AZURE_OPENAI_API_KEY")
            .env_remove("AZURE_OPENAI_AD_TOKEN")
            .env("HTTPS_PROXY", "http://127.0.0.1:9")
            .env("HTTP_PROXY", "http://127.0.0.1:9")
            .env("NO_PROXY", "127.0.0.1,localhost")
            .stdin(Stdio::null());
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.artty(args).output().unwrap()
    }

    pub fn run_with_stdin(&self, args: &[&str], input: &str, env: &[(&str, &str)]) -> Output {
        let mut command = self.artty(args);
        command
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// The gallery's files, but for its sealing key (`.artty-seal`).
    pub fn gallery_files(&self) -> Vec<String> {
        match std::fs::read_dir(self.gallery()) {
            Ok(entries) => entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name != ".artty-seal")
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    text(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
