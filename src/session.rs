//! The admin's credentials: in memory only, unless the admin ticks
//! "remember on this device"; "forget" wipes them everywhere.

use leptos::prelude::*;
use sag_api::{Credentials, Secret};
use serde::{Deserialize, Serialize};

use crate::platform;

const STORAGE_KEY: &str = "sag-console.credentials.v1";

#[derive(Serialize, Deserialize)]
struct Stored {
    access_key_id: String,
    access_key_secret: String,
    #[serde(default)]
    security_token: Option<String>,
}

/// Shared through context; cheap to copy.
#[derive(Clone, Copy)]
pub struct Session {
    pub credentials: RwSignal<Option<Credentials>>,
    pub remembered: RwSignal<bool>,
}

impl Session {
    /// Starts with the remembered credentials, if the admin opted in earlier.
    pub fn load() -> Session {
        let stored = platform::storage_get(STORAGE_KEY)
            .and_then(|text| serde_json::from_str::<Stored>(&text).ok());
        let remembered = stored.is_some();
        let credentials = stored.map(|s| Credentials {
            access_key_id: s.access_key_id,
            access_key_secret: Secret::new(s.access_key_secret),
            security_token: s.security_token.filter(|t| !t.is_empty()).map(Secret::new),
        });
        Session {
            credentials: RwSignal::new(credentials),
            remembered: RwSignal::new(remembered),
        }
    }

    /// Uses `credentials` from now on; stores them only if `remember`.
    pub fn connect(&self, credentials: Credentials, remember: bool) {
        if remember {
            let stored = Stored {
                access_key_id: credentials.access_key_id.clone(),
                access_key_secret: credentials.access_key_secret.expose().to_owned(),
                security_token: credentials
                    .security_token
                    .as_ref()
                    .map(|t| t.expose().to_owned()),
            };
            if let Ok(text) = serde_json::to_string(&stored) {
                platform::storage_set(STORAGE_KEY, &text);
            }
        } else {
            platform::storage_remove(STORAGE_KEY);
        }
        self.remembered.set(remember);
        self.credentials.set(Some(credentials));
    }

    /// Wipes the credentials from memory and from storage.
    pub fn forget(&self) {
        platform::storage_remove(STORAGE_KEY);
        self.remembered.set(false);
        self.credentials.set(None);
    }
}
