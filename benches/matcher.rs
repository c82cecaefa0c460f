//! Micro-benchmarks of the matcher on one news article: where a document's time goes.
//!
//! `cargo bench` (criterion). Whole-run figures against the peers are in
//! `bench/compare.sh`; nothing here runs in CI, and no test asserts a timing.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gaztag::bench::Trie;
use gaztag::bench::{WORD_MARK, normalize_marked};
use gaztag::{Gazetteer, Tagger, TaggerBuilder};

const ARTICLE: &str = include_str!("../samples/almaty-csto-briefing.txt");

fn tagger(builder: &TaggerBuilder) -> Tagger {
    let gazetteer = Gazetteer::embedded().expect("the embedded gazetteers load");
    builder.build(gazetteer).expect("the tagger builds")
}

fn article(c: &mut Criterion) {
    let mut group = c.benchmark_group("article");
    group.throughput(Throughput::Bytes(ARTICLE.len() as u64));
    group.bench_function("normalize", |b| {
        b.iter(|| normalize_marked(black_box(ARTICLE)))
    });
    let full = tagger(&Tagger::builder());
    group.bench_function("candidates", |b| {
        b.iter(|| full.candidates(black_box(ARTICLE)))
    });
    group.bench_function("tag (all heuristics)", |b| {
        b.iter(|| full.tag(black_box(ARTICLE)))
    });
    let plain = tagger(
        Tagger::builder()
            .coreference(false)
            .disambiguation(false)
            .discovery(false),
    );
    group.bench_function("tag (heuristics off)", |b| {
        b.iter(|| plain.tag(black_box(ARTICLE)))
    });
    group.finish();
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.bench_function("embedded gazetteer: load + trie", |b| {
        b.iter(|| tagger(&Tagger::builder()))
    });
    group.finish();
}

/// The aliases of the gazetteer in `GAZTAG_BENCH_GAZETTEER` (a path; the bench data's
/// `gazetteer.tsv` for the 250k-name figure), or of the embedded one, folded as the
/// matcher folds them, sorted, distinct.
fn folded_keys() -> Vec<String> {
    let gazetteer = match std::env::var_os("GAZTAG_BENCH_GAZETTEER") {
        Some(path) => Gazetteer::load(&[path]).expect("the bench gazetteer loads"),
        None => Gazetteer::embedded().expect("the embedded gazetteers load"),
    };
    let mut keys: Vec<String> = gazetteer
        .entities
        .iter()
        .flat_map(|e| e.surface_forms())
        .map(|alias| normalize_marked(alias.trim()).text)
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Why the matcher walks a trie rather than running an Aho-Corasick automaton: every
/// alias starts at a word mark, so failure links buy nothing, and building them is most
/// of a big gazetteer's start-up.
fn trie_against_aho_corasick(c: &mut Criterion) {
    let keys = folded_keys();
    // The matcher builds from one buffer of keys end to end, as here.
    let joined = keys.concat();
    let mut start = 0;
    let slices: Vec<&str> = keys
        .iter()
        .map(|k| {
            start += k.len();
            &joined[start - k.len()..start]
        })
        .collect();
    let mut group = c.benchmark_group("trie vs aho-corasick");
    group.sample_size(10);
    group.bench_function("build: trie", |b| b.iter(|| Trie::from_sorted(&slices)));
    group.bench_function("build: aho-corasick (standard, no prefilter)", |b| {
        b.iter(|| ac_builder().build(&keys).expect("builds"))
    });
    group.finish();

    let trie = Trie::from_sorted(&keys);
    let ac = ac_builder().build(&keys).expect("builds");
    let folded = normalize_marked(ARTICLE).text;
    let mut group = c.benchmark_group("trie vs aho-corasick scan");
    group.throughput(Throughput::Bytes(folded.len() as u64));
    group.bench_function("trie walks from word marks", |b| {
        b.iter(|| {
            let text = black_box(folded.as_bytes());
            let mut hits = 0;
            for (at, _) in text.iter().enumerate().filter(|(_, b)| **b == WORD_MARK) {
                let mut node = Trie::ROOT;
                for &byte in &text[at..] {
                    match trie.step(node, byte) {
                        Some(next) => node = next,
                        None => break,
                    }
                    hits += usize::from(trie.key(node).is_some());
                }
            }
            hits
        })
    });
    group.bench_function("aho-corasick overlapping", |b| {
        b.iter(|| ac.find_overlapping_iter(black_box(&folded)).count())
    });
    group.finish();
}

fn ac_builder() -> aho_corasick::AhoCorasickBuilder {
    let mut builder = aho_corasick::AhoCorasick::builder();
    builder
        .match_kind(aho_corasick::MatchKind::Standard)
        .prefilter(false);
    builder
}

criterion_group!(benches, article, build, trie_against_aho_corasick);
criterion_main!(benches);
