//! The fuzz corpus (`fuzz/seeds`, what `cargo fuzz` found and `scripts/reliability.sh` keeps)
//! replayed through the same code as the fuzz targets: no input panics.

#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;

fn replay(target: &str, run: fn(&str)) -> Result<(), Box<dyn std::error::Error>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(format!("{target}.json"));
    let inputs: Vec<String> = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    assert!(inputs.len() > 100, "{target}: only {} inputs", inputs.len());
    for input in &inputs {
        run(input);
    }
    Ok(())
}

#[test]
fn the_capture_corpus_replays() -> Result<(), Box<dyn std::error::Error>> {
    replay("capture", common::capture)
}

#[test]
fn the_filter_corpus_replays() -> Result<(), Box<dyn std::error::Error>> {
    replay("filter", common::filter)
}

#[test]
fn the_date_corpus_replays() -> Result<(), Box<dyn std::error::Error>> {
    replay("dates", common::dates)
}

#[test]
fn the_import_corpus_replays() -> Result<(), Box<dyn std::error::Error>> {
    replay("import", common::import)
}
