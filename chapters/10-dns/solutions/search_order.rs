//! Exercise 1 (small): the names a lookup tries, in `res_search`'s order.

use aio::ResolverConfig;

// ANCHOR: names_to_try
/// The names a lookup of `host` asks for, in order, each without a trailing
/// dot: `host` alone if it ends with a dot; otherwise `host` and `host` with
/// each of `config.search`'s domains, `host` itself first if it has at least
/// `config.ndots` dots and last if it has fewer.
pub fn names_to_try(host: &str, config: &ResolverConfig) -> Vec<String> {
    if let Some(absolute) = host.strip_suffix('.') {
        return vec![absolute.to_owned()];
    }
    let searched =
        config.search.iter().map(|domain| format!("{host}.{domain}"));
    let mut names: Vec<String> = searched.collect();
    if host.matches('.').count() >= config.ndots {
        names.insert(0, host.to_owned());
    } else {
        names.push(host.to_owned());
    }
    names
}
// ANCHOR_END: names_to_try
