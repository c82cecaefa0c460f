//! Micro-benchmarks of the matcher on one news article: where a document's time goes.
//!
//! `cargo bench` (criterion). Whole-run figures against the peers are in
//! `bench/compare.sh`; nothing here runs in CI, and no test asserts a timing.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gaztag::normalize::normalize_marked;
use gaztag::resolve::ResolveOptions;
use gaztag::{Gazetteer, Tagger};

const ARTICLE: &str = include_str!("../samples/almaty-csto-briefing.txt");

fn tagger(options: ResolveOptions) -> Tagger {
    let gazetteer = Gazetteer::embedded().expect("the embedded gazetteers load");
    Tagger::new(gazetteer)
        .expect("the tagger builds")
        .with_options(options)
}

fn article(c: &mut Criterion) {
    let mut group = c.benchmark_group("article");
    group.throughput(Throughput::Bytes(ARTICLE.len() as u64));
    group.bench_function("normalize", |b| {
        b.iter(|| normalize_marked(black_box(ARTICLE)))
    });
    let full = tagger(ResolveOptions::default());
    group.bench_function("candidates", |b| {
        b.iter(|| full.candidates(black_box(ARTICLE)))
    });
    group.bench_function("tag (all heuristics)", |b| {
        b.iter(|| full.tag(black_box(ARTICLE)))
    });
    let plain = tagger(ResolveOptions {
        coref: false,
        disambiguation: false,
        discovery: false,
        ..ResolveOptions::default()
    });
    group.bench_function("tag (heuristics off)", |b| {
        b.iter(|| plain.tag(black_box(ARTICLE)))
    });
    group.finish();
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.bench_function("embedded gazetteer: load + automaton", |b| {
        b.iter(|| tagger(ResolveOptions::default()))
    });
    group.finish();
}

criterion_group!(benches, article, build);
criterion_main!(benches);
