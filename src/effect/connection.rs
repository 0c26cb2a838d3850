//! The connection to the API the runner shares with its tasks: swapped
//! whole when the key or server changes.

use std::sync::{Arc, PoisonError, RwLock};

use crate::api::{ClientConfig, ImagesClient};

/// The API settings and the client built from them. Replaced whole, from a
/// background task, when the key or server changes; running jobs keep the
/// one they started with.
pub struct Connection {
    pub config: ClientConfig,
    pub client: Arc<ImagesClient>,
}

pub type SharedConnection = Arc<RwLock<Arc<Connection>>>;

impl Connection {
    pub fn new(config: ClientConfig) -> Result<Connection, String> {
        let client = ImagesClient::new(config.clone()).map_err(|e| e.user_message())?;
        Ok(Connection {
            config,
            client: Arc::new(client),
        })
    }
}

pub fn current(shared: &SharedConnection) -> Arc<Connection> {
    // A poisoned lock still holds a whole connection: it is only ever swapped.
    shared
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
}

pub fn replace(shared: &SharedConnection, connection: Connection) {
    *shared.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(connection);
}
