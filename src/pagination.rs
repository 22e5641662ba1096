//! The data-mart page cursor: which offset comes next, and the guard against a server
//! that sends us back to an offset we already asked for (which would loop forever).

use std::collections::HashSet;

use crate::error::{ApiFailure, ClientError};

pub struct PageCursor {
    pending: Option<u64>,
    requested: HashSet<u64>,
}

impl PageCursor {
    /// Starts at `offset`; the first page counts as offset 0 when none is given.
    pub fn new(offset: u64) -> Self {
        PageCursor { pending: Some(offset), requested: HashSet::new() }
    }

    /// The offset to request next, or `None` once the last page was seen.
    pub fn pending(&self) -> Option<u64> {
        self.pending
    }

    /// Records that the pending page arrived with `count` items and said `next_offset`.
    /// The walk must terminate: a next offset already requested, one that does not move
    /// past the current page, or an empty page that still has a next offset is an error
    /// whose details name the offset.
    pub fn advance(&mut self, next_offset: Option<u64>, count: u64) -> Result<(), ClientError> {
        let current = self.pending.take();
        if let Some(current) = current {
            self.requested.insert(current);
        }
        let Some(next) = next_offset else {
            return Ok(());
        };
        let problem = if self.requested.contains(&next) {
            format!("repeated nextOffset {next}")
        } else if current.is_some_and(|current| next <= current) {
            format!("nextOffset {next} that does not advance past offset {}", current.unwrap_or_default())
        } else if count == 0 {
            format!("an empty page with nextOffset {next}")
        } else {
            self.pending = Some(next);
            return Ok(());
        };
        let mut failure = ApiFailure {
            message: format!("OWOX Data Marts API returned {problem}"),
            attempts: 1,
            ..Default::default()
        };
        failure.details_json = Some(format!(r#"{{"offset":{next}}}"#));
        Err(ClientError::from(failure))
    }

    /// Ends the walk early (after an error), so no further page is requested.
    pub fn stop(&mut self) {
        self.pending = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<(), ClientError>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn walks_pages_until_null() {
        let mut cursor = PageCursor::new(0);
        assert_eq!(cursor.pending(), Some(0));
        cursor.advance(Some(1000), 1000).unwrap();
        assert_eq!(cursor.pending(), Some(1000));
        cursor.advance(Some(2000), 1000).unwrap();
        cursor.advance(None, 3).unwrap();
        assert_eq!(cursor.pending(), None);
    }

    #[test]
    fn a_repeated_offset_is_an_error_and_stops() {
        let mut cursor = PageCursor::new(0);
        cursor.advance(Some(1000), 1000).unwrap();
        assert_eq!(message(cursor.advance(Some(0), 1000)), "OWOX Data Marts API returned repeated nextOffset 0");
        assert_eq!(cursor.pending(), None);

        let mut cursor = PageCursor::new(0);
        assert_eq!(message(cursor.advance(Some(0), 5)), "OWOX Data Marts API returned repeated nextOffset 0");

        let mut cursor = PageCursor::new(500);
        cursor.advance(Some(1500), 1000).unwrap();
        cursor.advance(Some(2500), 1000).unwrap();
        assert_eq!(message(cursor.advance(Some(1500), 9)), "OWOX Data Marts API returned repeated nextOffset 1500");
    }

    #[test]
    fn an_offset_that_does_not_advance_or_an_empty_page_with_more_ends_the_walk() {
        let mut cursor = PageCursor::new(1000);
        let error = cursor.advance(Some(0), 10).unwrap_err();
        assert_eq!(
            error.to_string(),
            "OWOX Data Marts API returned nextOffset 0 that does not advance past offset 1000"
        );
        let ClientError::Api(failure) = error else { unreachable!() };
        assert_eq!(failure.details_json.as_deref(), Some(r#"{"offset":0}"#));
        assert_eq!(cursor.pending(), None);

        let mut cursor = PageCursor::new(0);
        assert_eq!(
            message(cursor.advance(Some(5000), 0)),
            "OWOX Data Marts API returned an empty page with nextOffset 5000"
        );
    }
}
