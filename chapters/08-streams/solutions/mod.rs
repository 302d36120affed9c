//! Chapter 8's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch08-streams --test exercises --features solutions`.

pub mod shout;
pub mod bulk_send;
pub mod frames;
pub mod chat_server;
