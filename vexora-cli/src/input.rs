//! Reading a JSON document from a file or standard input.

use std::io::Read;

use crate::failure::Failure;

/// The largest input read; anything bigger is not a request or a notification.
const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// Reads `source`: a path, or `-` for standard input.
pub fn read(source: &str) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let result = if source == "-" {
        std::io::stdin().lock().take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(source).and_then(|file| file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
    };
    let name = if source == "-" { "standard input" } else { source };
    result.map_err(|e| Failure::invalid(format!("cannot read {name}: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Failure::invalid(format!("{name} is larger than {MAX_INPUT_BYTES} bytes")));
    }
    Ok(bytes)
}
