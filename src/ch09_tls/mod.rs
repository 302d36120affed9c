//! Chapter 9 (TLS): TLS as a protocol layer over a transport, with rustls.

pub(crate) mod tls_error;
pub(crate) mod context;
pub(crate) mod certificate;
pub(crate) mod layer;
pub(crate) mod open;
