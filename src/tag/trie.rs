//! The alias trie: every folded alias, walked byte by byte from a word start.
//!
//! Matches can only start at word starts (every folded alias begins with the word mark),
//! so the matcher never needs Aho-Corasick's failure links: it walks this trie from
//! each word start until the trie has no edge for the next byte. Without failure links
//! the structure builds in one linear pass over the sorted keys, which is most of what
//! a 250,000-name gazetteer's start-up used to spend (building the failure links of an
//! Aho-Corasick automaton), and a walk never backtracks.
//!
//! Layout: nodes are numbered in depth-first preorder, so a node's first child is the
//! next node, and a chain of single-child nodes (most of a big trie: the tails of
//! names) lies end to end in memory, where a walk reads it a cache line at a time. A
//! narrow node carries its edge labels inline, so one step reads one 16-byte record;
//! a wide one (the upper levels of a big trie, where every walk passes) keeps a
//! 256-entry table instead. Flat arrays, no per-node allocation.

/// A static byte trie mapping each key to its index in the sorted key list.
#[derive(Debug, Clone, Default)]
pub struct Trie {
    nodes: Vec<Node>,
    /// The children after the first of each narrow node, end to end (see [`Node`]).
    kids: Vec<u32>,
    /// 256 child numbers (or [`NONE`]) per wide node, end to end.
    dense: Vec<u32>,
}

/// One node, packed so a step reads one record.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The key ending at this node, or [`NONE`].
    key: u32,
    /// Narrow node: where its children after the first start in `kids`. Wide node: its
    /// table's number in `dense`.
    first: u32,
    /// Narrow node: the number of children. Wide node: [`WIDE`].
    count: u8,
    /// Narrow node: the bytes on the edges to its children, in order.
    labels: [u8; MAX_SCANNED],
}

const NONE: u32 = u32::MAX;
const WIDE: u8 = u8::MAX;

/// Nodes with more children than this get a 256-entry table (one load per step instead
/// of a search); the rest are scanned. Only the upper levels of a big trie are that
/// wide, and most walks pass through them.
const MAX_SCANNED: usize = 7;

/// Where the number of a node not yet numbered is to be written when it is.
#[derive(Clone, Copy)]
enum Slot {
    /// The root, or a narrow node's first child: its number is its parent's plus one.
    Implicit,
    Kid(usize),
    Dense(usize),
}

impl Trie {
    /// The node every walk starts from.
    pub const ROOT: u32 = 0;

    /// Builds the trie of `keys`, which must be sorted bytewise and distinct (as a
    /// sorted, deduplicated list of strings is); key `i` is reported as `i`.
    ///
    /// # Panics
    /// If the keys are not sorted and distinct, or there are 2³² − 1 of them or more.
    pub fn from_sorted<K: AsRef<[u8]>>(keys: &[K]) -> Trie {
        assert!(
            keys.windows(2).all(|w| w[0].as_ref() < w[1].as_ref()),
            "trie keys must be sorted and distinct"
        );
        assert!(keys.len() < NONE as usize, "too many trie keys");
        let mut trie = Trie::default();
        // Each entry: the keys below a node are keys[lo..hi], all sharing its first
        // `depth` bytes. Children are pushed last first, so the first child is numbered
        // right after its parent (preorder).
        let mut stack: Vec<(usize, usize, usize, Slot)> = vec![(0, keys.len(), 0, Slot::Implicit)];
        let mut groups: Vec<(u8, usize, usize)> = Vec::new();
        while let Some((mut lo, hi, depth, slot)) = stack.pop() {
            let id = trie.nodes.len() as u32;
            match slot {
                Slot::Implicit => {}
                Slot::Kid(at) => trie.kids[at] = id,
                Slot::Dense(at) => trie.dense[at] = id,
            }
            // Sorted keys: the one that ends here, if any, comes first.
            let mut key = NONE;
            if lo < hi && keys[lo].as_ref().len() == depth {
                key = lo as u32;
                lo += 1;
            }
            groups.clear();
            while lo < hi {
                let byte = keys[lo].as_ref()[depth];
                let end = lo + keys[lo..hi].partition_point(|k| k.as_ref()[depth] == byte);
                groups.push((byte, lo, end));
                lo = end;
            }
            let mut node = Node {
                key,
                first: trie.kids.len() as u32,
                count: groups.len() as u8,
                labels: [0; MAX_SCANNED],
            };
            if groups.len() > MAX_SCANNED {
                let table = trie.dense.len();
                trie.dense.resize(table + 256, NONE);
                (node.first, node.count) = ((table / 256) as u32, WIDE);
                for &(byte, lo, hi) in groups.iter().rev() {
                    stack.push((lo, hi, depth + 1, Slot::Dense(table + byte as usize)));
                }
            } else {
                let first = trie.kids.len();
                trie.kids
                    .resize(first + groups.len().saturating_sub(1), NONE);
                for (i, &(byte, lo, hi)) in groups.iter().enumerate().rev() {
                    node.labels[i] = byte;
                    let slot = if i == 0 {
                        Slot::Implicit
                    } else {
                        Slot::Kid(first + i - 1)
                    };
                    stack.push((lo, hi, depth + 1, slot));
                }
            }
            trie.nodes.push(node);
        }
        trie
    }

    /// The node reached from `node` over the edge labelled `byte`.
    #[inline]
    pub fn step(&self, node: u32, byte: u8) -> Option<u32> {
        let n = &self.nodes[node as usize];
        if n.count == WIDE {
            let child = self.dense[n.first as usize * 256 + byte as usize];
            return (child != NONE).then_some(child);
        }
        let labels = n.labels.get(..n.count as usize)?;
        match labels.iter().position(|&l| l == byte)? {
            0 => Some(node + 1),
            i => self.kids.get(n.first as usize + i - 1).copied(),
        }
    }

    /// The index of the key that ends at `node`, if one does.
    #[inline]
    pub fn key(&self, node: u32) -> Option<u32> {
        let k = self.nodes[node as usize].key;
        (k != NONE).then_some(k)
    }

    /// True when the trie holds no key.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1 && self.nodes.first().is_none_or(|n| n.key == NONE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every key that is a prefix of `text`, as (key index, length), walking the trie.
    fn prefixes(trie: &Trie, text: &[u8]) -> Vec<(u32, usize)> {
        let mut out = Vec::new();
        let mut node = Trie::ROOT;
        if let Some(k) = trie.key(node) {
            out.push((k, 0));
        }
        for (i, &b) in text.iter().enumerate() {
            match trie.step(node, b) {
                Some(next) => node = next,
                None => break,
            }
            if let Some(k) = trie.key(node) {
                out.push((k, i + 1));
            }
        }
        out
    }

    #[test]
    fn finds_every_key_that_prefixes_the_text() {
        let keys = ["new", "new york", "new york times", "newark", "york"];
        let trie = Trie::from_sorted(&keys);
        assert_eq!(
            prefixes(&trie, b"new york times square"),
            vec![(0, 3), (1, 8), (2, 14)]
        );
        assert_eq!(prefixes(&trie, b"newark"), vec![(0, 3), (3, 6)]);
        assert_eq!(prefixes(&trie, b"yorkshire"), vec![(4, 4)]);
        assert_eq!(prefixes(&trie, b"boston"), vec![]);
    }

    #[test]
    fn wide_nodes_find_every_child() {
        let keys: Vec<String> = (b'a'..=b'z').map(|b| format!("x{}", b as char)).collect();
        let trie = Trie::from_sorted(&keys);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(prefixes(&trie, k.as_bytes()), vec![(i as u32, 2)]);
        }
        assert_eq!(prefixes(&trie, b"x0"), vec![]);
    }

    #[test]
    fn an_empty_key_list_gives_a_trie_that_matches_nothing() {
        let trie = Trie::from_sorted::<&str>(&[]);
        assert!(trie.is_empty());
        assert_eq!(prefixes(&trie, b"anything"), vec![]);
    }

    #[test]
    #[should_panic(expected = "sorted and distinct")]
    fn unsorted_keys_are_refused() {
        Trie::from_sorted(&["b", "a"]);
    }

    proptest! {
        /// The trie agrees with a plain scan of the key list, whatever the keys (short
        /// alphabets make shared prefixes and wide nodes likely).
        #[test]
        fn agrees_with_a_scan_of_the_keys(
            keys in proptest::collection::btree_set(
                proptest::collection::vec(prop_oneof![0u8..4, 0u8..=255], 1..6), 0..60),
            text in proptest::collection::vec(prop_oneof![0u8..4, 0u8..=255], 0..8),
        ) {
            let keys: Vec<Vec<u8>> = keys.into_iter().collect();
            let trie = Trie::from_sorted(&keys);
            let expected: Vec<(u32, usize)> = keys
                .iter()
                .enumerate()
                .filter(|(_, k)| text.starts_with(k))
                .map(|(i, k)| (i as u32, k.len()))
                .collect();
            prop_assert_eq!(prefixes(&trie, &text), expected);
        }
    }
}
