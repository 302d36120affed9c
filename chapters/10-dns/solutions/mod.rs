//! Chapter 10's reference solutions, built in place of the starters in
//! `src/exercises/` with the `solutions` feature and graded by the same tests:
//! `cargo test -p ch10-dns --test exercises --features solutions`.

pub mod search_order;
pub mod query_message;
pub mod answer_records;
pub mod udp_lookup;
