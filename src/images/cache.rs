//! A least-recently-used map bounded in bytes, for thumbnails in memory:
//! the gallery can hold ten thousand images while only the few hundred
//! thumbnails seen last stay decoded.

use std::hash::Hash;

use lru::LruCache;

/// Something that knows how many bytes it holds.
pub trait Weigh {
    fn weight(&self) -> usize;
}

#[derive(Debug, Clone)]
pub struct ByteLru<K: Hash + Eq, V> {
    entries: LruCache<K, V>,
    bytes: usize,
    budget: usize,
}

impl<K: Hash + Eq, V: Weigh> ByteLru<K, V> {
    pub fn new(budget: usize) -> ByteLru<K, V> {
        ByteLru {
            entries: LruCache::unbounded(),
            bytes: 0,
            budget,
        }
    }

    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Looks up and marks as used.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        self.entries.get(key)
    }

    /// Looks up without changing the order (for drawing).
    pub fn peek(&self, key: &K) -> Option<&V> {
        self.entries.peek(key)
    }

    pub fn contains(&self, key: &K) -> bool {
        self.entries.contains(key)
    }

    /// Adds an entry, then drops the least recently used ones until the
    /// total fits the budget (the new entry always stays).
    pub fn insert(&mut self, key: K, value: V) {
        self.bytes += value.weight();
        if let Some(old) = self.entries.put(key, value) {
            self.bytes -= old.weight();
        }
        self.shrink();
    }

    /// A new budget; a smaller one drops the least recently used entries
    /// at once.
    pub fn set_budget(&mut self, budget: usize) {
        self.budget = budget;
        self.shrink();
    }

    fn shrink(&mut self) {
        while self.bytes > self.budget && self.entries.len() > 1 {
            match self.entries.pop_lru() {
                Some((_, old)) => self.bytes -= old.weight(),
                None => break,
            }
        }
    }

    pub fn remove(&mut self, key: &K) {
        if let Some(old) = self.entries.pop(key) {
            self.bytes -= old.weight();
        }
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Weigh for Vec<u8> {
        fn weight(&self) -> usize {
            self.len()
        }
    }

    #[test]
    fn stays_within_the_budget_dropping_the_least_recent() {
        let mut cache = ByteLru::new(100);
        cache.insert("a", vec![0; 40]);
        cache.insert("b", vec![0; 40]);
        assert!(cache.get(&"a").is_some(), "a is now the most recent");
        cache.insert("c", vec![0; 40]);
        assert!(cache.contains(&"a") && cache.contains(&"c"));
        assert!(!cache.contains(&"b"), "b was the least recently used");
        assert_eq!(cache.bytes(), 80);
        cache.insert("c", vec![0; 10]);
        assert_eq!(cache.bytes(), 50, "replacing counts the new size only");
        cache.insert("huge", vec![0; 500]);
        assert_eq!(cache.len(), 1, "one entry over budget stays alone");
        assert_eq!(cache.bytes(), 500);
        cache.remove(&"huge");
        assert!(cache.is_empty());
        assert_eq!(cache.bytes(), 0);
    }

    #[test]
    fn a_smaller_budget_drops_the_least_recent_at_once() {
        let mut cache = ByteLru::new(100);
        for key in ["a", "b", "c"] {
            cache.insert(key, vec![0; 30]);
        }
        cache.set_budget(50);
        assert_eq!(cache.len(), 1);
        assert!(cache.contains(&"c"), "the most recent stays");
        assert_eq!((cache.bytes(), cache.budget()), (30, 50));
    }
}
