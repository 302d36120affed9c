//! `cargo run -p ch10-dns --bin getaddrinfo`

fn main() -> std::process::ExitCode {
    ch10_dns::getaddrinfo::main(std::env::args().skip(1).collect())
}
