//! Exercise 1 (small): what a TLS handshake settled, read with
//! `get_extra_info`.

use aio::{ExtraInfo, PeerCertificate, SslContext};
use std::io;

/// What the handshake with a server settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerSummary {
    /// The protocol version, as Python names it (`TLSv1.3`).
    pub version: String,
    /// The cipher suite, as IANA names it (`TLS13_AES_256_GCM_SHA384`).
    pub cipher: String,
    /// The DNS names the server's certificate is for.
    pub dns_names: Vec<String>,
}

// ANCHOR: peer_summary
/// Connects to `host`:`port` with TLS, trusting the CA certificate(s) in
/// `ca_pem`, and returns what the handshake settled; then closes the
/// connection. A failed handshake is the error, with the `aio::TlsError`
/// that says why still inside it.
pub async fn peer_summary(
    host: &str,
    port: u16,
    ca_pem: &str,
) -> io::Result<PeerSummary> {
    let context = SslContext::client_with_ca_pem(ca_pem.as_bytes())?;
    let (_reader, writer) =
        aio::open_connection_ssl(host, port, context).await?;
    let summary = summarize(|name| writer.get_extra_info(name));
    writer.close();
    summary
}

/// Reads the summary out of a transport's `get_extra_info`.
fn summarize(
    info: impl Fn(&str) -> Option<ExtraInfo>,
) -> io::Result<PeerSummary> {
    let missing = |what| io::Error::other(format!("no {what} after TLS"));
    let Some(ExtraInfo::Version(version)) = info("version") else {
        return Err(missing("version"));
    };
    let Some(ExtraInfo::Cipher { name: cipher, .. }) = info("cipher") else {
        return Err(missing("cipher"));
    };
    let Some(ExtraInfo::PeerCertificate(der)) = info("peercert") else {
        return Err(missing("peer certificate"));
    };
    let dns_names = PeerCertificate::parse(&der)?.dns_names;
    Ok(PeerSummary { version, cipher, dns_names })
}
// ANCHOR_END: peer_summary
