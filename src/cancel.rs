//! Calls that JavaScript may abort: an id per call with an `AbortSignal`, so an abort on
//! the JS thread can reach the request running on a tokio thread.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use tokio_util::sync::CancellationToken;

pub struct CallRegistry {
    next_id: AtomicU32,
    calls: Mutex<HashMap<u32, CancellationToken>>,
    /// The environment's token: when it is cancelled, so is every call.
    root: CancellationToken,
}

impl CallRegistry {
    pub fn new(root: CancellationToken) -> Self {
        CallRegistry { next_id: AtomicU32::new(0), calls: Mutex::default(), root }
    }

    /// Registers a new abortable call; JavaScript passes the id to the call and to `cancel`.
    pub fn begin(&self) -> u32 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
        self.lock().insert(id, self.root.child_token());
        id
    }

    /// The token of call `id`; a call without an id (no signal) gets one nobody cancels.
    pub fn token(&self, id: Option<u32>) -> CancellationToken {
        id.and_then(|id| self.lock().get(&id).cloned()).unwrap_or_else(|| self.root.child_token())
    }

    /// Cancels call `id`. The cancelled token stays registered until `finish`, because the
    /// call's body may not have started yet: it runs later, on a tokio thread, and must
    /// still find its token cancelled then.
    pub fn cancel(&self, id: u32) {
        if let Some(token) = self.lock().get(&id) {
            token.cancel();
        }
    }

    pub fn finish(&self, id: Option<u32>) {
        if let Some(id) = id {
            self.lock().remove(&id);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u32, CancellationToken>> {
        // A panic while holding this lock cannot leave the map inconsistent.
        self.calls.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_reaches_the_token_even_before_the_call_looks_it_up() {
        let registry = CallRegistry::new(CancellationToken::new());
        let id = registry.begin();
        let early = registry.token(Some(id));
        registry.cancel(id);
        assert!(early.is_cancelled());
        assert!(registry.token(Some(id)).is_cancelled(), "a call starting after the abort sees it");
        registry.finish(Some(id));
        assert!(registry.lock().is_empty());
    }

    #[test]
    fn finished_calls_are_forgotten() {
        let registry = CallRegistry::new(CancellationToken::new());
        let id = registry.begin();
        registry.finish(Some(id));
        registry.cancel(id);
        assert!(registry.lock().is_empty());
        assert!(!registry.token(None).is_cancelled());
    }

    #[test]
    fn cancelling_the_root_cancels_every_call() {
        let root = CancellationToken::new();
        let registry = CallRegistry::new(root.clone());
        let (with_id, without) = (registry.token(Some(registry.begin())), registry.token(None));
        root.cancel();
        assert!(with_id.is_cancelled() && without.is_cancelled());
    }
}
