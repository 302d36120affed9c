//! Exercise 2: find the deadlock. Write [`deadlock`], a program whose two
//! tasks each take one of two locks and then wait for the other's, and
//! [`waiting_on`], which reads a task tree for the tasks stuck on a kind of
//! primitive. The book's chapter 14 page (`book/ch14-debugging.md`,
//! "Exercises") says more; grade it with
//! `cargo test -p ch14-debugging --test exercises lock_cycle`.

/// On the running loop: turns debug mode on (or the tree knows no waits),
/// spawns two tasks named `left` and `right` that deadlock on two
/// `aio::Lock`s, waits until both are stuck, and returns the loop's task
/// tree as it is then. The two tasks stay stuck; whoever runs this cancels
/// them (`aio::run` does, when its main future returns).
pub async fn deadlock() -> Result<aio::TaskTree, aio::Error> {
    // Your code here: two locks, two tasks that take them in opposite
    // orders, a few ticks for them to get stuck, then `aio::task_tree()`.
    aio::task_tree()
}

/// The names of the tasks in `tree` that wait on the primitive `kind`
/// (`"Lock"`, `"Event"`, ...), wherever they are in the tree, each once,
/// sorted.
pub fn waiting_on(tree: &aio::TaskTree, kind: &str) -> Vec<String> {
    // Your code here: walk every root and every branch below it.
    Vec::new()
}
