//! A CSV file as its rows, read as a stream: UTF-8 with or without a byte-order mark, `,` or
//! `;` between fields (whichever the header line uses outside quotes), quoted fields that may
//! hold separators, quotes and line breaks, CRLF or LF line ends. Memory holds one row at a
//! time, whatever the file's size.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::sync::{Arc, Mutex};

use crate::domain::Problem;
use crate::server::error::{ServiceError, ServiceResult};

/// Longest field kept, in bytes; a longer one refuses its row.
pub const MAX_FIELD: usize = 10_000;
/// Most columns a file may have.
pub const MAX_COLUMNS: usize = 200;

/// An open file: its header and the rows after it.
pub struct Source<R: Read> {
    pub headers: Vec<String>,
    records: csv::StringRecordsIntoIter<BufReader<Counted<R>>>,
    /// The 1-based line of the file the row last read starts on (the header is line 1).
    pub line: u64,
    lines: Arc<Mutex<Lines>>,
    /// Bytes before what the CSV reader reads (a byte-order mark).
    skipped: u64,
}

/// The file's line breaks read ahead of the parser (at most a buffer's worth), each with the
/// offset of the last byte before it that is not a line end, and how many breaks came before.
#[derive(Default)]
struct Lines {
    ahead: VecDeque<(u64, Option<u64>)>,
    passed: u64,
}

impl Lines {
    /// The 1-based line a row starting at byte `offset` starts on. The parser may place a row's
    /// start on the line ends before it (a CRLF's `\n`, blank lines it skips): every break
    /// with nothing but line ends between `offset` and itself is behind the row.
    fn line_at(&mut self, offset: u64) -> u64 {
        while self
            .ahead
            .front()
            .is_some_and(|(_, content)| content.is_none_or(|c| c < offset))
        {
            self.ahead.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

/// The input, noting the offset of each line break it hands on.
pub struct Counted<R> {
    inner: R,
    offset: u64,
    /// The last byte that is not a line end.
    content: Option<u64>,
    lines: Arc<Mutex<Lines>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut lines) = self.lines.lock() {
            for (i, b) in buf[..n].iter().enumerate() {
                let at = self.offset + i as u64;
                match b {
                    b'\n' => lines.ahead.push_back((at, self.content)),
                    b'\r' => {}
                    _ => self.content = Some(at),
                }
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// One row, or why it cannot be read (bad UTF-8, a field too long); the file goes on after it.
pub type Row = Result<Vec<String>, Problem>;

impl<R: Read> Source<R> {
    /// Opens `input`: reads its header line and works out its separator.
    pub fn open(input: R) -> ServiceResult<Self> {
        let lines = Arc::new(Mutex::new(Lines::default()));
        let counted = Counted {
            inner: input,
            offset: 0,
            content: None,
            lines: lines.clone(),
        };
        let mut buffered = BufReader::with_capacity(64 * 1024, counted);
        // The byte-order mark is not part of the first column's name.
        let head = buffered.fill_buf().map_err(read_error)?;
        let skipped = if head.starts_with(b"\xEF\xBB\xBF") {
            buffered.consume(3);
            3
        } else {
            0
        };
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
            lines,
            skipped,
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
                    if let (Some(pos), Ok(mut lines)) = (r.position(), self.lines.lock()) {
                        self.line = lines.line_at(pos.byte() + self.skipped);
                    }
                    // A blank line is no row.
                    if r.iter().all(|f| f.trim().is_empty()) {
                        continue;
                    }
                    if r.iter().any(|f| f.len() > MAX_FIELD) {
                        Err(Problem::TooLong { max: MAX_FIELD })
                    } else if r.iter().any(|f| f.contains('\0')) {
                        Err(Problem::ControlCharacters)
                    } else {
                        Ok(r.iter().map(|f| f.trim().to_string()).collect())
                    }
                }
                Err(e) => {
                    if let (Some(pos), Ok(mut lines)) = (e.position(), self.lines.lock()) {
                        self.line = lines.line_at(pos.byte() + self.skipped);
                    }
                    Err(csv_problem(&e))
                }
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
    fn rows_know_their_lines_with_crlf_lf_blank_lines_and_line_breaks_in_quotes() {
        for text in [
            &b"a,b\r\nx,y\r\n\r\nz,w\r\n"[..],
            &b"\xEF\xBB\xBFa,b\nx,y\n\nz,w\n"[..],
        ] {
            let mut source = Source::open(text).unwrap();
            let mut lines = vec![];
            while source.next().is_some() {
                lines.push(source.line);
            }
            assert_eq!(lines, [2, 4], "{text:?}");
        }
        let mut source = Source::open(&b"a,b\n\"x\ny\",1\r\nz,w"[..]).unwrap();
        let mut lines = vec![];
        while source.next().is_some() {
            lines.push(source.line);
        }
        assert_eq!(lines, [2, 4]);
    }

    #[test]
    fn a_nul_refuses_its_row() {
        let (_, read) = rows(b"a,b\nx\0y,z\nfine,row\n");
        assert_eq!(read[0], Err(Problem::ControlCharacters));
        assert_eq!(read[1], Ok(vec!["fine".to_string(), "row".into()]));
    }

    #[test]
    fn an_empty_file_has_no_header() {
        assert!(Source::open(&b""[..]).is_err());
        assert!(Source::open(&b"\xEF\xBB\xBF\n"[..]).is_err());
    }
}
