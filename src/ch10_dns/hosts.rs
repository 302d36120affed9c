//! Chapter 10 (DNS): the `/etc/hosts` table, read before any name server.
//!
//! Every line is an address and the names it answers for: a canonical name,
//! then aliases. `#` starts a comment. Names compare without regard to case
//! but otherwise exactly, as glibc's `files` backend compares them: a
//! trailing dot is part of the name, so `localhost.` is not `localhost` (the
//! C library asks the name servers for it, and so does the stub). A name
//! on several lines gets every address, in file order, as glibc's `multi on`
//! (its default since 2.26) gives them. The C library reads this file first
//! (`hosts: files dns` in `/etc/nsswitch.conf`), and so does the stub
//! resolver: a name found here never costs a query.

use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::path::Path;

/// The parsed hosts table: names to their addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hosts {
    addresses: HashMap<String, Vec<IpAddr>>,
}

impl Hosts {
    // ANCHOR: hosts_parse
    /// Parses hosts-file text. Lines that are not an address and a name
    /// (and addresses with a `%scope`, which an `IpAddr` cannot hold) are
    /// skipped, as the C library skips them.
    pub fn parse(text: &str) -> Hosts {
        let mut hosts = Hosts::default();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default();
            let mut fields = line.split_whitespace();
            let Some(Ok(address)) = fields.next().map(str::parse) else {
                continue;
            };
            for name in fields {
                let known = hosts.addresses.entry(key(name)).or_default();
                if !known.contains(&address) {
                    known.push(address);
                }
            }
        }
        hosts
    }
    // ANCHOR_END: hosts_parse

    /// Reads and parses the file at `path`. A missing file is an empty
    /// table, as it is for the C library.
    pub fn from_file(path: impl AsRef<Path>) -> io::Result<Hosts> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Hosts::parse(&text)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                Ok(Hosts::default())
            }
            Err(error) => Err(error),
        }
    }

    /// The system's table, `/etc/hosts`.
    pub fn from_system() -> io::Result<Hosts> {
        Hosts::from_file("/etc/hosts")
    }

    /// The addresses of `name`, in file order, if the table has it.
    pub fn lookup(&self, name: &str) -> Option<&[IpAddr]> {
        self.addresses.get(&key(name)).map(Vec::as_slice)
    }
}

/// How a name is stored and looked up: in lower case.
fn key(name: &str) -> String {
    name.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
# The machine's own names.
127.0.0.1\tlocalhost
::1 localhost ip6-localhost   # and an alias
192.0.2.7 Web.Example  web   www.example.
not-an-address some.name
fe80::1%eth0 scoped.example
198.51.100.1 web.example
192.0.2.7
";

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|ip| ip.parse().unwrap()).collect()
    }

    #[test]
    fn names_and_aliases_get_every_address_in_file_order() {
        let hosts = Hosts::parse(TEXT);
        let localhost = hosts.lookup("localhost").unwrap();
        assert_eq!(localhost, ips(&["127.0.0.1", "::1"]));
        assert_eq!(hosts.lookup("ip6-localhost").unwrap(), ips(&["::1"]));
        let web = ips(&["192.0.2.7", "198.51.100.1"]);
        assert_eq!(hosts.lookup("web.example").unwrap(), web);
        assert_eq!(hosts.lookup("web").unwrap(), ips(&["192.0.2.7"]));
    }

    #[test]
    fn case_does_not_matter_and_a_trailing_dot_does_as_for_glibc() {
        let hosts = Hosts::parse(TEXT);
        assert!(hosts.lookup("LOCALHOST").is_some());
        assert!(hosts.lookup("WWW.Example.").is_some());
        assert_eq!(hosts.lookup("localhost."), None);
        assert_eq!(hosts.lookup("www.example"), None);
    }

    #[test]
    fn comments_and_malformed_lines_add_nothing() {
        let hosts = Hosts::parse(TEXT);
        for name in ["and", "an", "alias", "some.name", "scoped.example", "#"] {
            assert_eq!(hosts.lookup(name), None, "{name}");
        }
    }

    #[test]
    fn a_missing_file_is_an_empty_table() {
        let hosts = Hosts::from_file("/nonexistent/aio/hosts").unwrap();
        assert_eq!(hosts, Hosts::default());
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_without_panicking(text in ".{0,300}") {
            let hosts = Hosts::parse(&text);
            let _ = hosts.lookup(&text);
        }
    }
}
