//! Exercise 3: `aio_ps` as data. [`parse_tree`] reads the text of a task
//! tree back into one row per task; [`ps`] asks a live aio program for its
//! tree and parses it.

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

// ANCHOR: parse_tree
/// The tasks of `tree`, the text of an `aio::TaskTree` (its `Display`), in
/// the order the text draws them. A task drawn a second time (`(shown
/// above)`) is not a row again.
pub fn parse_tree(tree: &str) -> Vec<TreeRow> {
    let mut rows = Vec::new();
    // The drawing depths of the tasks above the current line.
    let mut above: Vec<usize> = Vec::new();
    for line in tree.lines() {
        let (drawn_at, text) = split_branches(line);
        let Some((name, state, created_at)) = task_line(text) else {
            continue;
        };
        // Tasks drawn at this depth or deeper are not above this one.
        above.retain(|&depth| depth < drawn_at);
        rows.push(TreeRow {
            depth: above.len(),
            name: name.to_owned(),
            state: state.to_owned(),
            created_at: created_at.to_owned(),
        });
        above.push(drawn_at);
    }
    rows
}

/// A line's drawing depth (four columns of branches a level) and its text.
fn split_branches(line: &str) -> (usize, &str) {
    let text = line.trim_start_matches(['├', '└', '│', '─', ' ']);
    let columns = line[..line.len() - text.len()].chars().count();
    (columns / 4, text)
}

/// `task 'NAME' STATE, from SITE`: name, state and site. `None` for every
/// other line, a task shown above among them.
fn task_line(text: &str) -> Option<(&str, &str, &str)> {
    let rest = text.strip_prefix("task '")?;
    let (name, rest) = rest.rsplit_once("' ")?;
    let (state, created_at) = rest.split_once(", from ")?;
    Some((name, state, created_at))
}
// ANCHOR_END: parse_tree

// ANCHOR: ps
/// The tasks of the aio program running as process `pid`, which must have
/// debug mode on: its tree, asked for with `aio::request_task_tree`, and
/// parsed. Fails as `request_task_tree` does.
pub fn ps(pid: u32) -> std::io::Result<Vec<TreeRow>> {
    Ok(parse_tree(&aio::request_task_tree(pid)?))
}
// ANCHOR_END: ps
