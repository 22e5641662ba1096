//! When a JavaScript environment (the main thread or a worker) is torn down, every call of
//! every client created in it stops at once: one cancellation token per environment, the
//! parent of every call's token, cancelled by an environment cleanup hook.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use napi::{Env, Result};
use tokio_util::sync::CancellationToken;

type Roots = Mutex<HashMap<usize, CancellationToken>>;

fn roots() -> std::sync::MutexGuard<'static, HashMap<usize, CancellationToken>> {
    static ROOTS: OnceLock<Roots> = OnceLock::new();
    ROOTS.get_or_init(Default::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The token of `env`, created (with its cleanup hook) by the first client there.
pub fn environment_token(env: &Env) -> Result<CancellationToken> {
    let key = env.raw() as usize;
    if let Some(token) = roots().get(&key) {
        return Ok(token.clone());
    }
    let token = CancellationToken::new();
    env.add_env_cleanup_hook(key, |key| {
        if let Some(token) = roots().remove(&key) {
            token.cancel();
        }
    })?;
    roots().insert(key, token.clone());
    Ok(token)
}
