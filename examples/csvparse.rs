//! The benchmark's floor: parse every record of a CSV file on one thread with the csv
//! crate's `ByteRecord` loop, and nothing else (issue 6, "parsing every CSV record").
//!
//! ```sh
//! cargo run --release --example csvparse -- bench/data/events-10m.csv
//! ```

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: csvparse FILE.csv")?;
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::fs::File::open(path)?);
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut fields) = (0u64, 0u64);
    while csv.read_byte_record(&mut record)? {
        rows += 1;
        fields += record.len() as u64;
    }
    println!("{rows} records, {fields} fields");
    Ok(())
}
