//! Exercise 4 (project): a pipeline without a shell.
//!
//! Write [`run_pipeline`]: start every command at once, give `input` to the
//! first one's stdin, copy each one's stdout into the next one's stdin
//! through the loop, and collect the last one's output and everyone's
//! return code, as `sh -c 'a | b | c'` would. See the book's chapter 11,
//! exercise 4. The grader compares your output with the shell's, pushes
//! more through than a pipe holds, and ends a pipeline whose last command
//! stops reading early.

use std::io;

/// What a pipeline gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PipelineOutput {
    /// Everything the last command wrote to its stdout.
    pub output: Vec<u8>,
    /// Each command's return code, in pipeline order.
    pub returncodes: Vec<i32>,
}

/// Runs `commands` (each a program and its arguments; at least one) as a
/// pipeline: `input`, then EOF, into the first; each stdout into the next
/// one's stdin; the last one's stdout collected. Waits for every command to
/// end. A command that stops reading early ends the copy into it, and the
/// command before it is not left blocked on a full pipe.
pub async fn run_pipeline(
    commands: &[&[&str]],
    input: &[u8],
) -> io::Result<PipelineOutput> {
    // Your code here: a `Process` per command, a task per copy between
    // two of them (read, write, `drain`), then the waits.
    Ok(PipelineOutput::default())
}
