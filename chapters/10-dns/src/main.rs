//! Chapter 10: interacting with domain name services.

fn main() {}
