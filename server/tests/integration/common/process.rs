//! The `flare` binary as the command-line tests run it: a child process, fed its standard
//! input, whose output is captured.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The `flare` binary built for these tests.
pub fn flare_command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_flare"))
}

/// Runs `command` to its end with `stdin` written to its standard input (which is then
/// closed), capturing standard output and error.
pub fn run_with_input(command: &mut Command, stdin: Option<&str>) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}
