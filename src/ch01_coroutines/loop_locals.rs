//! Chapter 1 (coroutines): loop-local storage, a place for later chapters'
//! per-loop services.
//!
//! Chapter 1's loop cannot name what later chapters keep per loop (chapter
//! 7's resolver, for one), so it keeps a small map from a type to one value
//! of that type. A later chapter puts its own type in and reads it back; the
//! loop only stores the values, and drops them when it closes.

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// One value per type, for the life of a loop.
#[derive(Default)]
pub(crate) struct LoopLocals {
    values: RefCell<HashMap<TypeId, Rc<dyn Any>>>,
}

impl LoopLocals {
    /// The value of type `T`, if one was set.
    pub(crate) fn get<T: 'static>(&self) -> Option<Rc<T>> {
        let value = self.values.borrow().get(&TypeId::of::<T>())?.clone();
        value.downcast::<T>().ok()
    }

    /// Sets the value of type `T`, replacing any earlier one.
    pub(crate) fn set<T: 'static>(&self, value: T) {
        let replaced =
            self.values.borrow_mut().insert(TypeId::of::<T>(), Rc::new(value));
        drop(replaced); // outside the borrow: its destructor may look here
    }

    /// Drops every value (the loop is closing).
    pub(crate) fn clear(&self) {
        let values = std::mem::take(&mut *self.values.borrow_mut());
        drop(values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_found_by_its_type_and_replaced_by_the_next() {
        let locals = LoopLocals::default();
        assert!(locals.get::<u32>().is_none());
        locals.set(7_u32);
        locals.set("seven");
        assert_eq!(*locals.get::<u32>().unwrap(), 7);
        locals.set(8_u32);
        assert_eq!(*locals.get::<u32>().unwrap(), 8);
        assert_eq!(*locals.get::<&str>().unwrap(), "seven");
        locals.clear();
        assert!(locals.get::<u32>().is_none());
    }
}
