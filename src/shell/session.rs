//! The admin's credentials, one set per cloud, side by side: in memory only,
//! unless the admin ticks "remember on this device" for that cloud; "forget"
//! wipes that cloud's set everywhere.

use leptos::prelude::*;
use sag_api::{Credentials, Secret, Vendor};
use serde::{Deserialize, Serialize};

use crate::plumbing::platform;

#[derive(Serialize, Deserialize)]
struct Stored {
    access_key_id: String,
    access_key_secret: String,
    #[serde(default)]
    security_token: Option<String>,
}

/// One cloud's credentials. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Keys {
    pub vendor: Vendor,
    pub credentials: RwSignal<Option<Credentials>>,
    pub remembered: RwSignal<bool>,
}

/// Where a vendor's remembered credentials live in local storage.
pub fn storage_key(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Aliyun => "sag-console.credentials.v1",
        Vendor::Tencent => "sag-console.tencent-credentials.v1",
    }
}

impl Keys {
    /// Starts with the remembered credentials, if the admin opted in earlier.
    fn load(vendor: Vendor) -> Keys {
        let stored = platform::storage_get(storage_key(vendor))
            .and_then(|text| serde_json::from_str::<Stored>(&text).ok());
        let remembered = stored.is_some();
        let credentials = stored.map(|s| Credentials {
            access_key_id: s.access_key_id,
            access_key_secret: Secret::new(s.access_key_secret),
            security_token: s.security_token.filter(|t| !t.is_empty()).map(Secret::new),
        });
        Keys {
            vendor,
            credentials: RwSignal::new(credentials),
            remembered: RwSignal::new(remembered),
        }
    }

    /// Uses `credentials` from now on; stores them only if `remember`.
    pub fn connect(&self, credentials: Credentials, remember: bool) {
        let key = storage_key(self.vendor);
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
                platform::storage_set(key, &text);
            }
        } else {
            platform::storage_remove(key);
        }
        self.remembered.set(remember);
        self.credentials.set(Some(credentials));
    }

    /// Wipes the credentials from memory and from storage.
    pub fn forget(&self) {
        platform::storage_remove(storage_key(self.vendor));
        self.remembered.set(false);
        self.credentials.set(None);
    }

    /// Whether credentials are held (tracked).
    pub fn connected(&self) -> bool {
        self.credentials.with(Option::is_some)
    }
}

/// Both clouds' credentials, shared through context.
#[derive(Clone, Copy)]
pub struct Session {
    pub aliyun: Keys,
    pub tencent: Keys,
}

impl Session {
    pub fn load() -> Session {
        Session {
            aliyun: Keys::load(Vendor::Aliyun),
            tencent: Keys::load(Vendor::Tencent),
        }
    }

    pub fn keys(&self, vendor: Vendor) -> Keys {
        match vendor {
            Vendor::Aliyun => self.aliyun,
            Vendor::Tencent => self.tencent,
        }
    }
}
