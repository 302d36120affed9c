//! Chapter 13: the process pool (cases to come).

fn main() {}
