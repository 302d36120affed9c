//! Exercise 3: `aio_ps` as data. Write [`parse_tree`], which reads the
//! text of a task tree (what `aio_ps` prints) back into rows, one per task,
//! and [`ps`], which asks a live aio program for its tree and parses it.
//! The book's chapter 14 page (`book/ch14-debugging.md`, "Exercises") says
//! more; grade it with
//! `cargo test -p ch14-debugging --test exercises tree_rows`.

/// One task of a tree, as its line says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    /// How many tasks above it await it, one through the other: 0 for a
    /// root. Lines that are not tasks (a `gather`, a timer) don't count.
    pub depth: usize,
    /// The task's name.
    pub name: String,
    /// Its state: `running`, `pending` or `cancelling`.
    pub state: String,
    /// Where it was spawned: `file:line:column`.
    pub created_at: String,
}

/// The tasks of `tree`, the text of an `aio::TaskTree` (its `Display`), in
/// the order the text draws them. A task drawn a second time (`(shown
/// above)`) is not a row again.
pub fn parse_tree(tree: &str) -> Vec<TreeRow> {
    // Your code here: each level of branches is four columns ("├── ",
    // "└── ", "│   " or spaces); a task's line is
    // `task 'NAME' STATE, from SITE`.
    Vec::new()
}

/// The tasks of the aio program running as process `pid`, which must have
/// debug mode on: its tree, asked for with `aio::request_task_tree`, and
/// parsed. Fails as `request_task_tree` does.
pub fn ps(pid: u32) -> std::io::Result<Vec<TreeRow>> {
    // Your code here.
    Ok(Vec::new())
}
