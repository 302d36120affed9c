//! `asyncio_getnameinfo.py`: addresses back to names, for port 443. An
//! address with no name comes back as its number, as the C library gives
//! it.
//!
//! `getnameinfo [IP ...]`; with no addresses it looks up `127.0.0.1` and
//! `::1`, which the hosts file names with no network.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

/// The port PyMOTW asks about: `https`.
pub const PORT: u16 = 443;

/// Why an argument got no line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The argument is not an IP address; nothing was looked up.
    NotAnAddress(String),
    /// The lookup failed.
    Lookup(aio::GaiError),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::NotAnAddress(given) => write!(
                f,
                "{given:?} is not an IP address; give one like 127.0.0.1 \
                 or ::1"
            ),
            Failure::Lookup(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for Failure {}

// ANCHOR: example
/// The line for the address written `ip`: `IP : HOST SERVICE`, as PyMOTW
/// prints it.
pub async fn line_for(ip: String) -> Result<String, Failure> {
    let address: IpAddr =
        ip.parse().map_err(|_| Failure::NotAnAddress(ip.clone()))?;
    let target = SocketAddr::new(address, PORT);
    let (host, service) =
        aio::getnameinfo(target, 0).await.map_err(Failure::Lookup)?;
    Ok(format!("{ip:15}: {host} {service}"))
}

/// Looks every address up at once, then prints the answers in the order
/// given. `Ok(false)` if some argument got no line.
pub async fn look_up(ips: Vec<String>) -> Result<bool, aio::Error> {
    let mut all_found = true;
    for answer in aio::gather(ips.into_iter().map(line_for)).await? {
        match answer {
            Ok(line) => println!("{line}"),
            Err(failure) => {
                eprintln!("{failure}");
                all_found = false;
            }
        }
    }
    Ok(all_found)
}
// ANCHOR_END: example

/// The program: `args` are its arguments, without its name.
pub fn main(args: Vec<String>) -> ExitCode {
    let ips = if args.is_empty() {
        vec!["127.0.0.1".to_owned(), "::1".to_owned()]
    } else {
        args
    };
    crate::run_lookups("getnameinfo", look_up(ips))
}
