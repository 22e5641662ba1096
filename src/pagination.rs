//! The data-mart page cursor: which offset comes next, and the guard against a server
//! that sends us back to an offset we already asked for (which would loop forever).

use std::collections::HashSet;

use crate::error::ClientError;

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

    /// Records that the pending page arrived and said `next_offset`.
    pub fn advance(&mut self, next_offset: Option<u64>) -> Result<(), ClientError> {
        if let Some(current) = self.pending {
            self.requested.insert(current);
        }
        match next_offset {
            Some(next) if self.requested.contains(&next) => {
                self.pending = None;
                Err(ClientError::api(format!("OWOX Data Marts API returned repeated nextOffset {next}")))
            }
            other => {
                self.pending = other;
                Ok(())
            }
        }
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
        cursor.advance(Some(1000)).unwrap();
        assert_eq!(cursor.pending(), Some(1000));
        cursor.advance(Some(2000)).unwrap();
        cursor.advance(None).unwrap();
        assert_eq!(cursor.pending(), None);
    }

    #[test]
    fn a_repeated_offset_is_an_error_and_stops() {
        let mut cursor = PageCursor::new(0);
        cursor.advance(Some(1000)).unwrap();
        assert_eq!(message(cursor.advance(Some(0))), "OWOX Data Marts API returned repeated nextOffset 0");
        assert_eq!(cursor.pending(), None);

        let mut cursor = PageCursor::new(0);
        assert_eq!(message(cursor.advance(Some(0))), "OWOX Data Marts API returned repeated nextOffset 0");

        let mut cursor = PageCursor::new(500);
        cursor.advance(Some(1500)).unwrap();
        cursor.advance(Some(2500)).unwrap();
        assert_eq!(message(cursor.advance(Some(1500))), "OWOX Data Marts API returned repeated nextOffset 1500");
    }

    #[test]
    fn going_backwards_to_an_unseen_offset_is_allowed() {
        let mut cursor = PageCursor::new(1000);
        cursor.advance(Some(0)).unwrap();
        assert_eq!(cursor.pending(), Some(0));
    }
}
