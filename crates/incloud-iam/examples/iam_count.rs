//! A fixed amount of work for counting instructions, which (unlike wall time) does not depend on what
//! else the machine is doing:
//!
//! ```sh
//! cargo build --release -p incloud-iam --example iam_count
//! valgrind --tool=callgrind target/release/examples/iam_count evaluate 10000
//! valgrind --tool=callgrind target/release/examples/iam_count grants 20
//! ```
//!
//! Run it also with 0 iterations and subtract, to leave out building the policies and the catalog.

use std::hint::black_box;

use incloud_iam::{evaluate, grants};

#[path = "../benches/fixtures/mod.rs"]
mod fixtures;

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "evaluate".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    match what.as_str() {
        "evaluate" => {
            let set = fixtures::realistic_set();
            let requests = fixtures::realistic_requests();
            for _ in 0..n {
                for r in &requests {
                    black_box(evaluate(black_box(&set), black_box(r)));
                }
            }
        }
        "grants" => {
            let (doc, _) = fixtures::policy_10kb();
            let identity = fixtures::identity_10kb(&doc);
            black_box(incloud_iam::catalog());
            for _ in 0..n {
                black_box(grants(black_box(&identity)));
            }
        }
        other => panic!("unknown workload {other}: evaluate or grants"),
    }
}
