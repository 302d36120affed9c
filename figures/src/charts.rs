//! (to be written)

use crate::Figure;

/// Every figure of this kind.
pub fn all() -> Vec<Figure> {
    Vec::new()
}
