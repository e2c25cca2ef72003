//! A compact in-memory list of live customers for interactive front ends: it answers filtering
//! and sorting per keystroke without touching the store. It is built from
//! [`Service::list_customers`](super::Service::list_customers) rows (typically on a worker
//! thread, in chunks) and kept current by the caller from the [`Outcome`](super::Outcome)s
//! of the commands it runs.
//!
//! Names sort naturally ("Wonka Labs 76" before "Wonka Labs 276"), computed here in memory;
//! slugs sort as the store's slug index does, byte by byte, so the console and the CLI's
//! `customer list` agree.
//!
//! It holds no reference into the store and performs no I/O; it is not a source of truth.

mod natural;

use std::collections::HashMap;

use super::allowed::AllowedActions;
use super::rows::CustomerRow;
use crate::domain::{CustomerKind, CustomerStatus, Timestamp};

/// One live customer, reduced to what a table shows, sorts and filters on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub id: u64,
    pub slug: String,
    pub name: String,
    pub kind: CustomerKind,
    pub status: CustomerStatus,
    pub owner_email: Option<String>,
    pub created_at: Timestamp,
    pub is_provider: bool,
    pub independent: bool,
    /// What the session may do to it, as the service computed for the row.
    pub allowed: AllowedActions,
    /// The values of the custom fields shown as columns, in the columns' order ("" for
    /// none); empty when no field is a column.
    pub columns: Vec<String>,
    /// Lowercase name, slug and owner email joined by `\n`, searched by [`CustomerIndex::filter`].
    haystack: String,
}

impl IndexEntry {
    /// The entry for `row`, keeping the values of the custom fields named by `columns`.
    pub fn from_row(row: &CustomerRow, columns: &[String]) -> Self {
        let haystack = format!(
            "{}\n{}\n{}",
            row.name.to_lowercase(),
            row.slug,
            row.owner_email.as_deref().unwrap_or("").to_lowercase()
        );
        Self {
            id: row.id,
            slug: row.slug.clone(),
            name: row.name.clone(),
            kind: row.kind,
            status: row.status,
            owner_email: row.owner_email.clone(),
            created_at: row.created_at,
            is_provider: row.is_provider,
            independent: row.independent,
            allowed: row.allowed,
            columns: columns
                .iter()
                .map(|c| row.fields.get(c).cloned().unwrap_or_default())
                .collect(),
            haystack,
        }
    }

    /// The lowercase name, for sorting (naturally: see [`natural::compare`]).
    fn name_key(&self) -> &str {
        self.haystack.split('\n').next().unwrap_or("")
    }

    /// True when `needle` (already lowercase) occurs in the name, slug or owner email, as
    /// the paged query's filter decides.
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty() || (!needle.contains('\n') && self.haystack.contains(needle))
    }
}

/// The column a listing is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    Name,
    #[default]
    Slug,
    Kind,
    Status,
    Owner,
    Created,
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [
        Self::Name,
        Self::Slug,
        Self::Kind,
        Self::Status,
        Self::Owner,
        Self::Created,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Slug => "slug",
            Self::Kind => "type",
            Self::Status => "status",
            Self::Owner => "owner",
            Self::Created => "created",
        }
    }
}

/// Live customers with a current sort order and filter. Positions in [`Self::visible`] are
/// what a table shows, the provider first whenever it matches.
#[derive(Debug, Clone, Default)]
pub struct CustomerIndex {
    entries: Vec<IndexEntry>,
    /// Customer id → index into `entries`.
    ids: HashMap<u64, u32>,
    /// Indices into `entries` in sort order.
    order: Vec<u32>,
    /// Indices into `entries` that match the filter, in sort order, provider first.
    visible: Vec<u32>,
    sort: SortKey,
    descending: bool,
    filter: String,
    /// Earlier filters that the current one extends, with their matches: Backspace restores
    /// them instead of searching again. Cleared whenever the entries or the order change.
    narrowed_from: Vec<(String, Vec<u32>)>,
    /// Every entry's haystack back to back, so a search reads memory in order instead of
    /// chasing one pointer per customer; rebuilt on the first search after entries change.
    search: SearchBuffer,
}

#[derive(Debug, Clone, Default)]
struct SearchBuffer {
    bytes: Vec<u8>,
    /// Entry `i`'s haystack is `bytes[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    fresh: bool,
}

impl SearchBuffer {
    fn rebuild(&mut self, entries: &[IndexEntry]) {
        self.bytes.clear();
        self.starts.clear();
        for entry in entries {
            self.starts.push(self.bytes.len());
            self.bytes.extend_from_slice(entry.haystack.as_bytes());
        }
        self.starts.push(self.bytes.len());
        self.fresh = true;
    }

    fn matches(&self, i: u32, finder: &memchr::memmem::Finder<'_>) -> bool {
        let i = i as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => finder.find(&self.bytes[a..b]).is_some(),
            _ => false,
        }
    }
}

impl CustomerIndex {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn sort(&self) -> (SortKey, bool) {
        (self.sort, self.descending)
    }

    pub fn filter_text(&self) -> &str {
        &self.filter
    }

    /// Number of customers the filter lets through.
    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// The `n`th customer shown.
    pub fn visible(&self, n: usize) -> Option<&IndexEntry> {
        self.visible
            .get(n)
            .and_then(|&i| self.entries.get(i as usize))
    }

    /// Where the customer with this id is shown, if it is.
    pub fn position_of(&self, id: u64) -> Option<usize> {
        let target = *self.ids.get(&id)?;
        self.visible.iter().position(|&i| i == target)
    }

    /// The customer with this slug, shown or not.
    pub fn by_slug(&self, slug: &str) -> Option<&IndexEntry> {
        self.entries.iter().find(|e| e.slug == slug)
    }

    /// Appends rows (as a loader delivers them) and refreshes the order.
    /// A customer already present (updated by an outcome meanwhile) is kept as it is.
    pub fn extend(&mut self, rows: impl IntoIterator<Item = IndexEntry>) {
        self.narrowed_from.clear();
        self.search.fresh = false;
        let before = self.entries.len();
        for entry in rows {
            if self.ids.contains_key(&entry.id) {
                continue;
            }
            self.ids.insert(entry.id, self.entries.len() as u32);
            self.entries.push(entry);
        }
        let added = (before..self.entries.len()).map(|i| i as u32);
        if self.sort == SortKey::Slug && !self.descending && self.is_sorted_append(before) {
            self.order.extend(added);
            let needle = self.filter.clone();
            let new_visible: Vec<u32> = (before..self.entries.len())
                .filter(|&i| self.entries[i].matches(&needle) && !self.entries[i].is_provider)
                .map(|i| i as u32)
                .collect();
            self.visible.extend(new_visible);
            if self.entries[before..].iter().any(|e| e.is_provider) {
                self.refilter();
            }
        } else {
            self.resort();
        }
    }

    fn is_sorted_append(&self, before: usize) -> bool {
        let last = self
            .order
            .last()
            .and_then(|&i| self.entries.get(i as usize));
        let mut prev = last.map(|e| e.slug.as_str());
        for entry in &self.entries[before..] {
            if prev.is_some_and(|p| p > entry.slug.as_str()) {
                return false;
            }
            prev = Some(entry.slug.as_str());
        }
        true
    }

    /// Adds or replaces a customer (by id), as a command outcome reports it.
    pub fn upsert(&mut self, entry: IndexEntry) {
        self.search.fresh = false;
        match self.ids.get(&entry.id) {
            Some(&i) => self.entries[i as usize] = entry,
            None => {
                self.ids.insert(entry.id, self.entries.len() as u32);
                self.entries.push(entry);
            }
        }
        self.resort();
    }

    /// Drops a customer (moved to the trash or purged).
    pub fn remove(&mut self, id: u64) {
        let Some(i) = self.ids.remove(&id) else {
            return;
        };
        self.search.fresh = false;
        self.entries.swap_remove(i as usize);
        if let Some(moved) = self.entries.get(i as usize) {
            self.ids.insert(moved.id, i);
        }
        self.resort();
    }

    /// Sorts by `key`, descending when asked; keeps the filter.
    pub fn set_sort(&mut self, key: SortKey, descending: bool) {
        self.sort = key;
        self.descending = descending;
        self.resort();
    }

    /// Filters case-insensitively on name, slug and owner email. When the new text extends
    /// the old one, only the current matches are searched; when it is an earlier text again
    /// (Backspace), its matches are restored.
    pub fn set_filter(&mut self, text: &str) {
        let needle = text.to_lowercase();
        if needle == self.filter {
            return;
        }
        if needle.starts_with(&self.filter) {
            let previous = std::mem::take(&mut self.filter);
            if !self.search.fresh {
                self.search.rebuild(&self.entries);
            }
            let finder = memchr::memmem::Finder::new(needle.as_bytes());
            let search = &self.search;
            let usable = !needle.contains('\n');
            let narrowed: Vec<u32> = self
                .visible
                .iter()
                .copied()
                .filter(|&i| usable && search.matches(i, &finder))
                .collect();
            let before = std::mem::replace(&mut self.visible, narrowed);
            if !previous.is_empty() || !needle.is_empty() {
                self.narrowed_from.push((previous, before));
            }
            self.filter = needle;
            return;
        }
        while let Some((text, visible)) = self.narrowed_from.pop() {
            if text == needle {
                self.filter = needle;
                self.visible = visible;
                return;
            }
            if !needle.starts_with(&text) {
                continue;
            }
            // An earlier text that the new one extends: narrow from its matches.
            self.filter = text;
            self.visible = visible;
            self.set_filter(&needle);
            return;
        }
        self.filter = needle;
        self.refilter();
    }

    fn resort(&mut self) {
        let entries = &self.entries;
        let mut order: Vec<u32> = (0..entries.len() as u32).collect();
        let key = self.sort;
        order.sort_by(|&a, &b| {
            let (a, b) = (&entries[a as usize], &entries[b as usize]);
            let primary = match key {
                SortKey::Name => natural::compare(a.name_key(), b.name_key()),
                SortKey::Slug => std::cmp::Ordering::Equal,
                // By name, as the table shows them.
                SortKey::Kind => a.kind.as_str().cmp(b.kind.as_str()),
                SortKey::Status => a.status.as_str().cmp(b.status.as_str()),
                SortKey::Owner => a.owner_email.cmp(&b.owner_email),
                SortKey::Created => a.created_at.cmp(&b.created_at),
            };
            primary.then_with(|| a.slug.cmp(&b.slug))
        });
        if self.descending {
            order.reverse();
        }
        self.order = order;
        self.refilter();
    }

    fn refilter(&mut self) {
        self.narrowed_from.clear();
        if self.filter.is_empty() {
            let entries = &self.entries;
            let provider = self
                .order
                .iter()
                .copied()
                .find(|&i| entries[i as usize].is_provider);
            self.visible = provider
                .into_iter()
                .chain(self.order.iter().copied().filter(|&i| Some(i) != provider))
                .collect();
            return;
        }
        if !self.search.fresh {
            self.search.rebuild(&self.entries);
        }
        let finder = memchr::memmem::Finder::new(self.filter.as_bytes());
        let usable = !self.filter.contains('\n');
        let mut visible = Vec::with_capacity(1024);
        let mut provider = None;
        for &i in &self.order {
            if !usable || !self.search.matches(i, &finder) {
                continue;
            }
            if self.entries[i as usize].is_provider {
                provider = Some(i);
            } else {
                visible.push(i);
            }
        }
        if let Some(p) = provider {
            visible.insert(0, p);
        }
        self.visible = visible;
    }
}

#[cfg(test)]
mod tests;
