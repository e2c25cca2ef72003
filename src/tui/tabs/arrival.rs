//! How a people tab's list arrives (D90): the first page is shown at once, the loader's
//! chunks are added to the table as they come (its source sorts and merges only each chunk,
//! D108). A load of a list that was already complete (the tab shown again, a customer
//! renamed) gathers aside and replaces the list whole at the end, so the rows shown never
//! shrink to a first page.
//!
//! It holds no rows of its own except that gathering; it draws nothing.

/// The progress of one tab's list load.
#[derive(Debug, Clone)]
pub struct Arrival<R> {
    /// Every page of the last load has arrived.
    pub complete: bool,
    /// A reload of a complete list, gathered until its last chunk.
    incoming: Option<Vec<R>>,
    /// The length of the list when the table was last rebuilt.
    shown_at: usize,
}

impl<R> Default for Arrival<R> {
    fn default() -> Self {
        Self {
            complete: false,
            incoming: None,
            shown_at: 0,
        }
    }
}

impl<R> Arrival<R> {
    /// A load's first page arrived; true when `all` changed and the table must be rebuilt.
    pub fn first(&mut self, all: &mut Vec<R>, rows: Vec<R>) -> bool {
        if self.complete {
            self.incoming = Some(rows);
            return false;
        }
        *all = rows;
        self.shown_at = all.len();
        true
    }

    /// A chunk of a first load arrived: true when the caller adds it to what is shown as it
    /// is (the table's source extends itself, D108); false while a reload gathers aside, when
    /// [`Arrival::chunk`] takes it. `done` on the last.
    pub fn appending(&mut self, done: bool) -> bool {
        if self.incoming.is_some() {
            return false;
        }
        self.complete |= done;
        true
    }

    /// A chunk arrived (`done` on the last); true when the table must be rebuilt.
    pub fn chunk(&mut self, all: &mut Vec<R>, rows: Vec<R>, done: bool) -> bool {
        if let Some(incoming) = &mut self.incoming {
            incoming.extend(rows);
            if !done {
                return false;
            }
            *all = self.incoming.take().unwrap_or_default();
        } else {
            all.extend(rows);
        }
        self.complete |= done;
        let rebuild = done || all.len() >= self.shown_at.saturating_mul(2).max(1);
        if rebuild {
            self.shown_at = all.len();
        }
        rebuild
    }

    /// A load is under way (the first one, or a reload gathering aside).
    pub fn busy(&self, loaded: bool) -> bool {
        self.incoming.is_some() || (loaded && !self.complete)
    }
}

#[cfg(test)]
mod tests {
    use super::Arrival;

    #[test]
    fn chunks_grow_the_list_and_rebuild_only_when_it_doubles() {
        let mut a = Arrival::default();
        let mut all = Vec::new();
        assert!(a.first(&mut all, vec![1, 2]));
        assert!(!a.complete);
        assert!(a.chunk(&mut all, vec![3, 4], false), "doubled");
        assert!(!a.chunk(&mut all, vec![5], false), "not doubled yet");
        assert!(a.chunk(&mut all, vec![6], true), "the last chunk rebuilds");
        assert_eq!(all, [1, 2, 3, 4, 5, 6]);
        assert!(a.complete);
    }

    #[test]
    fn a_reload_of_a_complete_list_replaces_it_only_at_the_end() {
        let mut a = Arrival::default();
        let mut all = vec![];
        a.first(&mut all, vec![1, 2, 3]);
        a.chunk(&mut all, vec![], true);
        assert!(!a.first(&mut all, vec![7]));
        assert!(a.busy(true));
        assert!(!a.chunk(&mut all, vec![8], false));
        assert_eq!(all, [1, 2, 3], "the old list stays shown");
        assert!(a.chunk(&mut all, vec![9], true));
        assert_eq!(all, [7, 8, 9]);
        assert!(!a.busy(true));
    }
}
