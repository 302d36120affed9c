//! Chapter 9's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch09-tls --test exercises --features solutions`.

pub mod peer_summary;
pub mod alpn;
pub mod mutual_tls;
pub mod starttls_server;
