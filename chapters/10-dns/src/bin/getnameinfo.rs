//! `cargo run -p ch10-dns --bin getnameinfo`

fn main() -> std::process::ExitCode {
    ch10_dns::getnameinfo::main(std::env::args().skip(1).collect())
}
