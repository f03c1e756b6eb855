//! A CSV file as its rows, read as a stream: UTF-8 with or without a byte-order mark, `,` or
//! `;` between fields (whichever the header line uses outside quotes), quoted fields that may
//! hold separators, quotes and line breaks, CRLF or LF line ends. Memory holds one row at a
//! time, whatever the file's size.

use std::io::{BufRead, BufReader, Read};

use crate::domain::Problem;
use crate::server::error::{ServiceError, ServiceResult};

/// Longest field kept, in bytes; a longer one refuses its row.
pub const MAX_FIELD: usize = 10_000;
/// Most columns a file may have.
pub const MAX_COLUMNS: usize = 200;

/// An open file: its header and the rows after it.
pub struct Source<R: Read> {
    pub headers: Vec<String>,
    records: csv::StringRecordsIntoIter<BufReader<R>>,
    /// The 1-based line of the row last read (the header is line 1).
    pub line: u64,
}

/// One row, or why it cannot be read (bad UTF-8, a field too long); the file goes on after it.
pub type Row = Result<Vec<String>, Problem>;

impl<R: Read> Source<R> {
    /// Opens `input`: reads its header line and works out its separator.
    pub fn open(input: R) -> ServiceResult<Self> {
        let mut buffered = BufReader::with_capacity(64 * 1024, input);
        // The byte-order mark is not part of the first column's name.
        let head = buffered.fill_buf().map_err(read_error)?;
        if head.starts_with(b"\xEF\xBB\xBF") {
            buffered.consume(3);
        }
        let separator = separator_of(buffered.fill_buf().map_err(read_error)?);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(true)
            .flexible(true)
            .from_reader(buffered);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| ServiceError::invalid("file", csv_problem(&e)))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        if headers.iter().all(String::is_empty) {
            return Err(ServiceError::invalid("file", "the file has no header line"));
        }
        if headers.len() > MAX_COLUMNS {
            return Err(ServiceError::invalid(
                "file",
                Problem::TooManyItems { max: MAX_COLUMNS },
            ));
        }
        Ok(Source {
            headers,
            records: reader.into_records(),
            line: 1,
        })
    }
}

impl<R: Read> Iterator for Source<R> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        loop {
            let record = self.records.next()?;
            self.line += 1;
            return Some(match record {
                Ok(r) => {
                    if let Some(pos) = r.position() {
                        self.line = pos.line();
                    }
                    // A blank line is no row.
                    if r.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    if r.iter().any(|f| f.len() > MAX_FIELD) {
                        Err(Problem::TooLong { max: MAX_FIELD })
                    } else {
                        Ok(r.iter().map(|f| f.trim().to_string()).collect())
                    }
                }
                Err(e) => Err(csv_problem(&e)),
            });
        }
    }
}

/// `;` when the header line has more of them than commas outside quotes, else `,`.
fn separator_of(head: &[u8]) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for &b in head {
        match b {
            b'\n' if !quoted => break,
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        b';'
    } else {
        b','
    }
}

fn csv_problem(e: &csv::Error) -> Problem {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => Problem::Text("the row is not UTF-8 text".into()),
        _ => Problem::Text(format!("the row cannot be read ({e})")),
    }
}

fn read_error(e: std::io::Error) -> ServiceError {
    ServiceError::invalid(
        "file",
        Problem::Text(format!("the file cannot be read ({e})")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[u8]) -> (Vec<String>, Vec<Row>) {
        let source = Source::open(text).expect("a header");
        let headers = source.headers.clone();
        (headers, source.collect())
    }

    #[test]
    fn commas_quotes_crlf_and_a_byte_order_mark() {
        let (headers, read) = rows(
            b"\xEF\xBB\xBFDeal - Title,Deal - Value,Organization - Name\r\n\"Acme, Inc. \"\"big\"\"\",1200.50,\"S\xC3\xA3o\nPaulo\"\r\n\r\nSecond,,\r\n",
        );
        assert_eq!(
            headers,
            ["Deal - Title", "Deal - Value", "Organization - Name"]
        );
        assert_eq!(
            read,
            vec![
                Ok(vec![
                    "Acme, Inc. \"big\"".to_string(),
                    "1200.50".into(),
                    "São\nPaulo".into()
                ]),
                Ok(vec!["Second".to_string(), String::new(), String::new()]),
            ]
        );
    }

    #[test]
    fn semicolons_when_the_header_uses_them() {
        let (headers, read) =
            rows(b"Nome;Valor;\"Empresa; Ltda\"\nJo\xC3\xA3o;1.200,50;A\xC3\xA7\xC3\xA3o\n");
        assert_eq!(headers, ["Nome", "Valor", "Empresa; Ltda"]);
        assert_eq!(
            read,
            vec![Ok(vec![
                "João".to_string(),
                "1.200,50".into(),
                "Ação".into()
            ])]
        );
    }

    #[test]
    fn a_bad_row_is_refused_and_the_file_goes_on() {
        let (_, read) = rows(b"a,b\n\xFF\xFE,x\nfine,row\n");
        assert!(read[0].is_err(), "{read:?}");
        assert_eq!(read[1], Ok(vec!["fine".to_string(), "row".into()]));
    }

    #[test]
    fn an_empty_file_has_no_header() {
        assert!(Source::open(&b""[..]).is_err());
        assert!(Source::open(&b"\xEF\xBB\xBF\n"[..]).is_err());
    }
}
