//! Chapter 3 (futures): producing results asynchronously.

pub(crate) mod promise;
