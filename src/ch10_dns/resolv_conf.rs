//! Chapter 10 (DNS): what the stub resolver asks, and whom:
//! `/etc/resolv.conf`.
//!
//! glibc's `res_init` reads the same file, and the parser keeps to its rules:
//! at most three `nameserver`s, 127.0.0.1 when there are none; `search` and
//! `domain` replace each other, the last line winning; `options timeout:N
//! attempts:N ndots:N` with glibc's defaults (5 s, 2, 1) and caps (30 s, 5,
//! 15). Lines it does not know are skipped, as glibc skips them. The hosts
//! table rides along, so that a test can give its own and never depend on
//! the machine's.

use crate::ch10_dns::hosts::Hosts;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

/// glibc's `MAXNS`: name servers past the third are ignored.
pub const MAX_NAMESERVERS: usize = 3;

/// How the stub resolver looks names up. Every field is public: a test sets
/// `nameservers` to its own responder and `timeout` to something short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolverConfig {
    /// The name servers, asked in order (port 53 from the file).
    pub nameservers: Vec<SocketAddr>,
    /// Domains tried after (or before, see `ndots`) a name as given.
    pub search: Vec<String>,
    /// A name with at least this many dots is tried as given first.
    pub ndots: usize,
    /// How long to wait for one server's answer to one query.
    pub timeout: Duration,
    /// How many rounds over all the servers before giving up.
    pub attempts: usize,
    /// Names answered without a query.
    pub hosts: Hosts,
}

impl Default for ResolverConfig {
    /// glibc's defaults for an empty `/etc/resolv.conf`, and no hosts.
    fn default() -> Self {
        ResolverConfig {
            nameservers: Vec::new(),
            search: Vec::new(),
            ndots: 1,
            timeout: Duration::from_secs(5),
            attempts: 2,
            hosts: Hosts::default(),
        }
    }
}

impl ResolverConfig {
    // ANCHOR: resolv_conf_parse
    /// Parses `/etc/resolv.conf` text (and leaves `hosts` empty).
    pub fn parse(text: &str) -> ResolverConfig {
        let mut config = ResolverConfig::default();
        for line in text.lines() {
            let mut words = line.split_whitespace();
            let (Some(keyword), rest) = (words.next(), words) else {
                continue;
            };
            match keyword {
                "nameserver" => config.add_nameserver(rest),
                "search" | "domain" => {
                    config.search = rest.map(domain).collect();
                }
                "options" => rest.for_each(|option| config.set(option)),
                _ => {} // comments (`#`, `;`) and keywords glibc ignores
            }
        }
        if config.nameservers.is_empty() {
            let local = IpAddr::V4(Ipv4Addr::LOCALHOST);
            config.nameservers.push(SocketAddr::new(local, 53));
        }
        config
    }
    // ANCHOR_END: resolv_conf_parse

    /// The system's configuration, as glibc's `res_init` builds it:
    /// `/etc/resolv.conf` (a missing file means the defaults), then the
    /// environment (`LOCALDOMAIN` replaces the search list, `RES_OPTIONS`
    /// adds options), then, with no search list yet, the domain of the
    /// machine's host name; and `/etc/hosts`.
    pub fn from_system() -> io::Result<ResolverConfig> {
        let mut config = ResolverConfig::parse(&read_or_empty(RESOLV_CONF)?);
        let variable = |name| std::env::var(name).ok();
        config.apply_environment(
            variable("LOCALDOMAIN").as_deref(),
            variable("RES_OPTIONS").as_deref(),
        );
        if config.search.is_empty() {
            let host_name = read_or_empty(HOST_NAME)?;
            config.search = domain_of(host_name.trim()).into_iter().collect();
        }
        config.hosts = Hosts::from_system()?;
        Ok(config)
    }

    /// What glibc takes from the environment: `LOCALDOMAIN`, a search list
    /// that replaces the file's, and `RES_OPTIONS`, options read after the
    /// file's.
    pub fn apply_environment(
        &mut self,
        local_domain: Option<&str>,
        res_options: Option<&str>,
    ) {
        if let Some(domains) = local_domain {
            self.search = domains.split_whitespace().map(domain).collect();
        }
        for option in res_options.unwrap_or_default().split_whitespace() {
            self.set(option);
        }
    }

    /// `nameserver ADDRESS`: an IP address, port 53. A scope (`%eth0`)
    /// is dropped, which leaves a link-local server unreachable (the stub
    /// goes on to the next); anything that is not an address is skipped.
    fn add_nameserver<'a>(&mut self, mut words: impl Iterator<Item = &'a str>) {
        let Some(word) = words.next() else { return };
        let address = word.split('%').next().unwrap_or_default();
        if let Ok(ip) = address.parse::<IpAddr>()
            && self.nameservers.len() < MAX_NAMESERVERS
        {
            self.nameservers.push(SocketAddr::new(ip, 53));
        }
    }

    /// One `options` word. Numbers past glibc's caps are capped, and a
    /// timeout or attempts of 0 made 1 (glibc would wait a second, or send
    /// nothing); unknown options and bad numbers are skipped.
    fn set(&mut self, option: &str) {
        let Some((name, value)) = option.split_once(':') else { return };
        let Ok(value) = value.parse::<u64>() else { return };
        match name {
            "timeout" => self.timeout = Duration::from_secs(value.clamp(1, 30)),
            "attempts" => self.attempts = value.clamp(1, 5) as usize,
            "ndots" => self.ndots = value.min(15) as usize,
            _ => {}
        }
    }
}

/// `path`'s text, or nothing if there is no such file.
fn read_or_empty(path: &str) -> io::Result<String> {
    match std::fs::read_to_string(path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            Ok(String::new())
        }
        read => read,
    }
}

const RESOLV_CONF: &str = "/etc/resolv.conf";
/// The kernel's host name, what `gethostname` returns.
const HOST_NAME: &str = "/proc/sys/kernel/hostname";

/// The default search domain glibc derives from the host name: what follows
/// its first dot (`build.example.com` searches `example.com`).
fn domain_of(host_name: &str) -> Option<String> {
    let (_, rest) = host_name.split_once('.')?;
    (!rest.is_empty()).then(|| domain(rest))
}

/// A search domain as stored: without its trailing dot.
fn domain(word: &str) -> String {
    word.strip_suffix('.').unwrap_or(word).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn servers(config: &ResolverConfig) -> Vec<String> {
        config.nameservers.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_empty_file_gives_glibcs_defaults_and_the_local_server() {
        let config = ResolverConfig::parse("");
        assert_eq!(servers(&config), ["127.0.0.1:53"]);
        assert_eq!(config.timeout, Duration::from_secs(5));
        assert_eq!((config.attempts, config.ndots), (2, 1));
        assert!(config.search.is_empty());
    }

    #[test]
    fn at_most_three_name_servers_in_file_order() {
        let text = "# comment\n; another\nnameserver 192.0.2.1\n\
                    nameserver ::1\nnameserver fe80::1%eth0\n\
                    nameserver bogus\nnameserver 192.0.2.4\n";
        let config = ResolverConfig::parse(text);
        assert_eq!(
            servers(&config),
            ["192.0.2.1:53", "[::1]:53", "[fe80::1]:53"]
        );
    }

    #[test]
    fn the_last_search_or_domain_line_wins() {
        let config =
            ResolverConfig::parse("search a.example b.example.\ndomain c.x\n");
        assert_eq!(config.search, ["c.x"]);
        let config = ResolverConfig::parse("domain c.x\nsearch a.example b.\n");
        assert_eq!(config.search, ["a.example", "b"]);
    }

    #[test]
    fn options_are_read_and_capped_like_glibcs() {
        let config = ResolverConfig::parse(
            "options rotate timeout:2 attempts:3 ndots:4 edns0\n",
        );
        assert_eq!(config.timeout, Duration::from_secs(2));
        assert_eq!((config.attempts, config.ndots), (3, 4));
        let config = ResolverConfig::parse(
            "options timeout:99 attempts:0 ndots:40 timeout:x\n",
        );
        assert_eq!(config.timeout, Duration::from_secs(30));
        assert_eq!((config.attempts, config.ndots), (1, 15));
    }

    #[test]
    fn the_environment_replaces_the_search_list_and_adds_options() {
        let mut config = ResolverConfig::parse("search a.x\noptions ndots:3\n");
        config.apply_environment(Some("b.x. c.x"), Some("attempts:4"));
        assert_eq!(config.search, ["b.x", "c.x"]);
        assert_eq!((config.attempts, config.ndots), (4, 3));
        config.apply_environment(None, None);
        assert_eq!(config.search, ["b.x", "c.x"]);
    }

    #[test]
    fn the_host_names_domain_is_the_default_search_domain() {
        assert_eq!(domain_of("build.example.com"), Some("example.com".into()));
        assert_eq!(domain_of("build"), None);
        assert_eq!(domain_of("build."), None);
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_to_at_least_one_server(text in "(?s).{0,300}") {
            let config = ResolverConfig::parse(&text);
            proptest::prop_assert!(!config.nameservers.is_empty());
            proptest::prop_assert!(config.nameservers.len() <= 3);
        }
    }
}
