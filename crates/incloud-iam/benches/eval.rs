//! Evaluations per second on realistic policies, and analysis time for a 10 KB policy.
//!
//! `CARGO_TARGET_DIR=... cargo bench -p incloud-iam --bench eval`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use incloud_iam::{
    access, escalation_paths, evaluate, grants, parse_policy, validate, wildcards, PolicyKind,
};

mod fixtures;
use fixtures::{identity_10kb, policy_10kb, realistic_requests, realistic_set};

fn bench(c: &mut Criterion) {
    let set = realistic_set();
    let requests = realistic_requests();
    let mut group = c.benchmark_group("evaluate");
    group.throughput(Throughput::Elements(requests.len() as u64));
    group.bench_function("realistic", |b| {
        b.iter(|| {
            for r in &requests {
                black_box(evaluate(black_box(&set), black_box(r)));
            }
        })
    });
    group.finish();

    let (doc, resource_policy) = policy_10kb();
    let identity = identity_10kb(&doc);
    let size = serde_json::to_string(&doc).map_or(0, |s| s.len());
    let mut group = c.benchmark_group(format!("analyse_{}_bytes", size));
    // Load the catalog outside the measurement: it is parsed once per process.
    black_box(incloud_iam::catalog());
    group.bench_function("parse", |b| b.iter(|| parse_policy(black_box(&doc))));
    group.bench_function("access", |b| {
        b.iter(|| access(black_box(&resource_policy), "111111111111"))
    });
    group.bench_function("wildcards", |b| b.iter(|| wildcards(black_box(&identity))));
    group.bench_function("validate", |b| {
        b.iter(|| validate(black_box(&identity), PolicyKind::Identity))
    });
    group.bench_function("escalation_paths", |b| {
        b.iter(|| escalation_paths(std::slice::from_ref(black_box(&identity))))
    });
    group.bench_function("grants", |b| b.iter(|| grants(black_box(&identity))));
    group.finish();

    c.bench_function("catalog_parse_once", |b| {
        b.iter(|| black_box(incloud_iam::catalog().actions().len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
