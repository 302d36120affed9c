//! Chapter 10 (DNS): the C library's `getaddrinfo` and `getnameinfo`, called
//! the blocking way.
//!
//! These are the functions Python's `socket.getaddrinfo` and
//! `socket.getnameinfo` call, and asyncio's `loop.getaddrinfo` runs them on
//! a thread. They read `/etc/nsswitch.conf`, `/etc/hosts` and
//! `/etc/resolv.conf`, and may wait seconds for a name server, so nothing on
//! the loop's thread may call them: `lookup.rs` runs them on a worker thread.
//! This module is the plain, blocking call and its translation between C's
//! structures and Rust's, which is where the `unsafe` lives.

use crate::ch10_dns::gai_error::GaiError;
use std::ffi::{CStr, CString};
use std::mem::{MaybeUninit, size_of};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::ptr;

/// Also return the canonical name (`socket.AI_CANONNAME`).
pub const AI_CANONNAME: i32 = libc::AI_CANONNAME;
/// The host must be a numeric address; never ask a name server
/// (`socket.AI_NUMERICHOST`).
pub const AI_NUMERICHOST: i32 = libc::AI_NUMERICHOST;
/// Addresses to listen on: no host means every interface
/// (`socket.AI_PASSIVE`).
pub const AI_PASSIVE: i32 = libc::AI_PASSIVE;
/// Only the families this machine has an address of (`socket.AI_ADDRCONFIG`).
pub const AI_ADDRCONFIG: i32 = libc::AI_ADDRCONFIG;
/// Give the numeric host, never a name (`socket.NI_NUMERICHOST`).
pub const NI_NUMERICHOST: i32 = libc::NI_NUMERICHOST;
/// Give the port number, never a service name (`socket.NI_NUMERICSERV`).
pub const NI_NUMERICSERV: i32 = libc::NI_NUMERICSERV;
/// Fail rather than give a number for an address with no name
/// (`socket.NI_NAMEREQD`).
pub const NI_NAMEREQD: i32 = libc::NI_NAMEREQD;
/// Name the service of a datagram port (`socket.NI_DGRAM`).
pub const NI_DGRAM: i32 = libc::NI_DGRAM;

// ANCHOR: types
/// An address family (`socket.AF_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Family {
    /// Any family (`AF_UNSPEC`), in a question.
    #[default]
    Any,
    /// IPv4 (`AF_INET`).
    Ipv4,
    /// IPv6 (`AF_INET6`).
    Ipv6,
}

/// A socket type (`socket.SOCK_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum SocketType {
    /// Any type (0), in a question.
    #[default]
    Any,
    /// A stream socket, TCP (`SOCK_STREAM`).
    Stream,
    /// A datagram socket, UDP (`SOCK_DGRAM`).
    Datagram,
    /// A raw socket (`SOCK_RAW`).
    Raw,
}

/// What to ask for: asyncio's `family`, `type`, `proto` and `flags`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hints {
    /// The family wanted, or any.
    pub family: Family,
    /// The socket type wanted, or any.
    pub socket_type: SocketType,
    /// The protocol number wanted (6 for TCP, 17 for UDP), or 0 for any.
    pub protocol: i32,
    /// `AI_*` flags, or-ed together.
    pub flags: i32,
}

/// One entry of the answer: Python's `(family, type, proto, canonname,
/// sockaddr)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddrInfo {
    /// The address's family.
    pub family: Family,
    /// The socket type this entry is for.
    pub socket_type: SocketType,
    /// The protocol number (6 for TCP).
    pub protocol: i32,
    /// The canonical name, on the first entry when `AI_CANONNAME` asked for
    /// it; empty otherwise, as in Python.
    pub canonical_name: String,
    /// The address and port.
    pub address: SocketAddr,
}

/// A port, as a number or a service name from `/etc/services` (`"https"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Service {
    /// A port number.
    Port(u16),
    /// A service name, or a number written out.
    Name(String),
}
// ANCHOR_END: types

impl From<u16> for Service {
    fn from(port: u16) -> Service {
        Service::Port(port)
    }
}

impl From<&str> for Service {
    fn from(name: &str) -> Service {
        Service::Name(name.to_owned())
    }
}

impl Service {
    fn as_text(&self) -> String {
        match self {
            Service::Port(port) => port.to_string(),
            Service::Name(name) => name.clone(),
        }
    }
}

impl Family {
    fn to_c(self) -> libc::c_int {
        match self {
            Family::Any => libc::AF_UNSPEC,
            Family::Ipv4 => libc::AF_INET,
            Family::Ipv6 => libc::AF_INET6,
        }
    }

    fn from_c(value: libc::c_int) -> Option<Family> {
        match value {
            libc::AF_INET => Some(Family::Ipv4),
            libc::AF_INET6 => Some(Family::Ipv6),
            _ => None,
        }
    }
}

impl SocketType {
    fn to_c(self) -> libc::c_int {
        match self {
            SocketType::Any => 0,
            SocketType::Stream => libc::SOCK_STREAM,
            SocketType::Datagram => libc::SOCK_DGRAM,
            SocketType::Raw => libc::SOCK_RAW,
        }
    }

    fn from_c(value: libc::c_int) -> SocketType {
        match value {
            libc::SOCK_STREAM => SocketType::Stream,
            libc::SOCK_DGRAM => SocketType::Datagram,
            libc::SOCK_RAW => SocketType::Raw,
            _ => SocketType::Any,
        }
    }
}

// ANCHOR: check_name
/// Refuses a name that no resolver could look up, before asking one. The
/// limits are DNS's (RFC 1035): 63 bytes a label, 253 a name.
pub(crate) fn check_name(name: &str) -> Result<(), GaiError> {
    let refuse = |why| Err(GaiError::invalid_name(name, why));
    if name.is_empty() {
        return refuse("the name is empty");
    }
    if name.contains('\0') {
        return refuse("the name has a NUL byte in it");
    }
    if name.trim_end_matches('.').len() > 253 {
        return refuse("the name is longer than 253 bytes");
    }
    let labels = name.strip_suffix('.').unwrap_or(name).split('.');
    for label in labels {
        if label.is_empty() {
            return refuse("the name has an empty label (two dots in a row)");
        }
        if label.len() > 63 {
            return refuse("a label of the name is longer than 63 bytes");
        }
    }
    Ok(())
}
// ANCHOR_END: check_name

// ANCHOR: getaddrinfo
/// The C library's `getaddrinfo`, blocking: run it off the loop's thread.
pub fn getaddrinfo_blocking(
    host: &str,
    service: &Service,
    hints: Hints,
) -> Result<Vec<AddrInfo>, GaiError> {
    check_name(host)?;
    let c_host = CString::new(host).expect("check_name refused NUL bytes");
    let service_text = service.as_text();
    let c_service = CString::new(service_text.as_str()).map_err(|_| {
        GaiError::invalid_name(&service_text, "the service has a NUL byte")
    })?;
    // SAFETY: `addrinfo` is a plain C struct; all zeroes is its documented
    // "no hints" value (null pointers, zero fields), which we then fill in.
    let mut c_hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    c_hints.ai_family = hints.family.to_c();
    c_hints.ai_socktype = hints.socket_type.to_c();
    c_hints.ai_protocol = hints.protocol;
    c_hints.ai_flags = hints.flags;
    let mut list: *mut libc::addrinfo = ptr::null_mut();
    // SAFETY: both strings are NUL-terminated and outlive the call, the hints
    // are a valid `addrinfo`, and `list` is a valid place for the result.
    let code = unsafe {
        libc::getaddrinfo(
            c_host.as_ptr(),
            c_service.as_ptr(),
            &c_hints,
            &mut list,
        )
    };
    if code != 0 {
        return Err(GaiError::from_code(host, code));
    }
    let mut entries = Vec::new();
    let mut next = list;
    while !next.is_null() {
        // SAFETY: `next` is a node of the list `getaddrinfo` returned, which
        // stays valid until `freeaddrinfo` below.
        let entry = unsafe { &*next };
        if let Some(address) = socket_address(entry)
            && let Some(family) = Family::from_c(entry.ai_family)
        {
            entries.push(AddrInfo {
                family,
                socket_type: SocketType::from_c(entry.ai_socktype),
                protocol: entry.ai_protocol,
                canonical_name: canonical_name(entry),
                address,
            });
        }
        next = entry.ai_next;
    }
    // SAFETY: `list` came from a successful `getaddrinfo` and is freed once;
    // nothing borrowed from it is used after this.
    unsafe { libc::freeaddrinfo(list) };
    Ok(entries)
}
// ANCHOR_END: getaddrinfo

/// The address of one entry, if it is IPv4 or IPv6.
fn socket_address(entry: &libc::addrinfo) -> Option<SocketAddr> {
    if entry.ai_addr.is_null() {
        return None;
    }
    let length = entry.ai_addrlen as usize;
    match entry.ai_family {
        libc::AF_INET if length >= size_of::<libc::sockaddr_in>() => {
            // SAFETY: the C library says this entry holds a `sockaddr_in`, and
            // it is long enough; it may be unaligned, so read it unaligned.
            let c = unsafe {
                ptr::read_unaligned(entry.ai_addr as *const libc::sockaddr_in)
            };
            let ip = Ipv4Addr::from(u32::from_be(c.sin_addr.s_addr));
            let port = u16::from_be(c.sin_port);
            Some(SocketAddr::V4(SocketAddrV4::new(ip, port)))
        }
        libc::AF_INET6 if length >= size_of::<libc::sockaddr_in6>() => {
            // SAFETY: as above, for a `sockaddr_in6`.
            let c = unsafe {
                ptr::read_unaligned(entry.ai_addr as *const libc::sockaddr_in6)
            };
            let ip = Ipv6Addr::from(c.sin6_addr.s6_addr);
            let port = u16::from_be(c.sin6_port);
            Some(SocketAddr::V6(SocketAddrV6::new(
                ip,
                port,
                c.sin6_flowinfo,
                c.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

fn canonical_name(entry: &libc::addrinfo) -> String {
    if entry.ai_canonname.is_null() {
        return String::new();
    }
    // SAFETY: a non-null `ai_canonname` is a NUL-terminated string owned by
    // the list, alive until `freeaddrinfo`; we copy it now.
    let name = unsafe { CStr::from_ptr(entry.ai_canonname) };
    name.to_string_lossy().into_owned()
}

// ANCHOR: getnameinfo
/// The C library's `getnameinfo`, blocking: the host name and service name of
/// `address`, or their numbers where there are no names.
pub fn getnameinfo_blocking(
    address: SocketAddr,
    flags: i32,
) -> Result<(String, String), GaiError> {
    // SAFETY: `sockaddr_storage` is plain data; zeroes are a valid start.
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let length = write_socket_address(address, &mut storage);
    let mut host = [MaybeUninit::<libc::c_char>::uninit(); 1025];
    let mut service = [MaybeUninit::<libc::c_char>::uninit(); 32];
    // SAFETY: `storage` holds a valid socket address of `length` bytes, and
    // the two buffers are writable for the lengths given; on success
    // `getnameinfo` writes a NUL-terminated string into each.
    let code = unsafe {
        libc::getnameinfo(
            (&raw const storage).cast::<libc::sockaddr>(),
            length,
            host.as_mut_ptr().cast(),
            host.len() as libc::socklen_t,
            service.as_mut_ptr().cast(),
            service.len() as libc::socklen_t,
            flags,
        )
    };
    if code != 0 {
        return Err(GaiError::from_code(&address.ip().to_string(), code));
    }
    // SAFETY: success, so both buffers now start with a NUL-terminated
    // string (the C library writes the NUL, and the buffers are the sizes
    // it was told).
    let (host, service) = unsafe {
        (
            CStr::from_ptr(host.as_ptr().cast()),
            CStr::from_ptr(service.as_ptr().cast()),
        )
    };
    Ok((
        host.to_string_lossy().into_owned(),
        service.to_string_lossy().into_owned(),
    ))
}
// ANCHOR_END: getnameinfo

/// Writes `address` as a C socket address; returns its length.
fn write_socket_address(
    address: SocketAddr,
    storage: &mut libc::sockaddr_storage,
) -> libc::socklen_t {
    match address {
        SocketAddr::V4(v4) => {
            let c = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: v4.port().to_be(),
                sin_addr: libc::in_addr { s_addr: u32::from(*v4.ip()).to_be() },
                sin_zero: [0; 8],
            };
            // SAFETY: `sockaddr_storage` is large and aligned enough for any
            // socket address, `sockaddr_in` among them.
            unsafe {
                ptr::write((&raw mut *storage).cast::<libc::sockaddr_in>(), c)
            };
            size_of::<libc::sockaddr_in>() as libc::socklen_t
        }
        SocketAddr::V6(v6) => {
            let c = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: v6.port().to_be(),
                sin6_flowinfo: v6.flowinfo(),
                sin6_addr: libc::in6_addr { s6_addr: v6.ip().octets() },
                sin6_scope_id: v6.scope_id(),
            };
            // SAFETY: as above, for `sockaddr_in6`.
            unsafe {
                ptr::write((&raw mut *storage).cast::<libc::sockaddr_in6>(), c)
            };
            size_of::<libc::sockaddr_in6>() as libc::socklen_t
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_no_resolver_could_look_up_are_refused_with_the_reason() {
        let long_label = format!("{}.example", "a".repeat(64));
        for (name, reason) in [
            ("", "empty"),
            ("a\0b", "NUL"),
            (long_label.as_str(), "63 bytes"),
            ("a..b", "empty label"),
        ] {
            let error = check_name(name).unwrap_err();
            assert!(error.to_string().contains(reason), "{error}");
            assert_eq!(error.code(), None);
        }
        assert!(check_name("localhost").is_ok());
        assert!(check_name("example.com.").is_ok());
    }

    #[test]
    fn localhost_resolves_to_a_loopback_address_for_https() {
        let hints =
            Hints { socket_type: SocketType::Stream, ..Hints::default() };
        let entries =
            getaddrinfo_blocking("localhost", &"https".into(), hints).unwrap();
        assert!(!entries.is_empty());
        for entry in &entries {
            assert!(entry.address.ip().is_loopback(), "{entry:?}");
            assert_eq!(entry.address.port(), 443);
            assert_eq!(entry.socket_type, SocketType::Stream);
        }
    }

    #[test]
    fn an_unknown_service_is_the_c_librarys_eai_service() {
        let error = getaddrinfo_blocking(
            "localhost",
            &"no-such-service".into(),
            Hints { socket_type: SocketType::Stream, ..Hints::default() },
        )
        .unwrap_err();
        assert_eq!(error.code(), Some(libc::EAI_SERVICE));
    }

    #[test]
    fn numeric_host_gives_the_number_without_asking_anyone() {
        let address: SocketAddr = "[::2]:443".parse().unwrap();
        let (host, service) =
            getnameinfo_blocking(address, NI_NUMERICHOST).unwrap();
        assert_eq!((host.as_str(), service.as_str()), ("::2", "https"));
    }
}
