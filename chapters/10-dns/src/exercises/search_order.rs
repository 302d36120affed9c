//! Exercise 1 (small): the names a lookup tries.
//!
//! Write [`names_to_try`]: the names that glibc's `res_search`, and aio's
//! [`StubResolver`](aio::StubResolver), ask the name servers for when they
//! look `host` up, in the order they ask them. The rules are in the book's
//! chapter 10, "One lookup, from the top". The grader runs the real stub
//! resolver against a name server of its own that knows no name, and
//! compares the names it is asked with yours.

use aio::ResolverConfig;

/// The names a lookup of `host` asks for, in order, each without a trailing
/// dot: `host` alone if it ends with a dot; otherwise `host` and `host` with
/// each of `config.search`'s domains, `host` itself first if it has at least
/// `config.ndots` dots and last if it has fewer.
pub fn names_to_try(host: &str, config: &ResolverConfig) -> Vec<String> {
    // Your code here: the search rules, with `config.search` and
    // `config.ndots`.
    Vec::new()
}
