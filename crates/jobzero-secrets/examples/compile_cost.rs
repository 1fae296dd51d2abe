//! How long each detector's pattern takes to compile, slowest first: the cost a scan pays once
//! for every detector whose keyword appears.
//!
//!     cargo run --release -p jobzero-secrets --example compile_cost

fn main() {
    let started = std::time::Instant::now();
    let mut costs: Vec<(std::time::Duration, &str)> = jobzero_secrets::engine::ENGINE
        .detectors
        .iter()
        .map(|d| {
            let t = std::time::Instant::now();
            let _ = d.regex();
            (t.elapsed(), d.def.id.as_str())
        })
        .collect();
    let total = started.elapsed();
    costs.sort_by_key(|c| std::cmp::Reverse(c.0));
    for (t, id) in costs.iter().take(25) {
        println!("{:>8.2} ms  {id}", t.as_secs_f64() * 1000.0);
    }
    println!(
        "{} detectors compiled in {:.1} ms",
        costs.len(),
        total.as_secs_f64() * 1000.0
    );
}
