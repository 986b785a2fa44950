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
    /// Counts "Forget": a connection test started before a forget must not
    /// connect when it ends.
    pub forgotten: StoredValue<u64>,
}

/// Where a vendor's remembered credentials live in local storage.
/// Written (and removed at once) by "Forget", so that other tabs hear of it.
pub const FORGET_KEY: &str = "sag-console.forget.v1";

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
            forgotten: StoredValue::new(0),
        }
    }

    /// Holds the keys for this tab, and on this device when `remember`.
    /// Returns whether remembering worked: storage can be full or blocked
    /// (then the keys are held for this tab only, and the caller says so).
    pub fn connect(&self, credentials: Credentials, remember: bool) -> bool {
        let key = storage_key(self.vendor);
        let mut stored_ok = true;
        if remember {
            let stored = Stored {
                access_key_id: credentials.access_key_id.clone(),
                access_key_secret: credentials.access_key_secret.expose().to_owned(),
                security_token: credentials
                    .security_token
                    .as_ref()
                    .map(|t| t.expose().to_owned()),
            };
            stored_ok = serde_json::to_string(&stored)
                .map(|text| platform::storage_set(key, &text))
                .unwrap_or(false);
            if !stored_ok {
                platform::storage_remove(key);
            }
        } else {
            platform::storage_remove(key);
        }
        self.remembered.set(remember && stored_ok);
        self.credentials.set(Some(credentials));
        stored_ok
    }

    /// Wipes the credentials from memory and from storage, here and in every
    /// other tab of this console: the others hear of it through a `storage`
    /// event on `FORGET_KEY`.
    pub fn forget(&self) {
        platform::storage_remove(storage_key(self.vendor));
        // Whole milliseconds: formatting an f64 would pull float printing
        // (about 15 KB) into the bundle.
        let note = format!(
            "{}:{}",
            self.vendor.display_name(),
            platform::now_ms() as u64
        );
        platform::storage_set(FORGET_KEY, &note);
        platform::storage_remove(FORGET_KEY);
        self.forget_here();
    }

    /// Forgets the keys in this tab only (another tab forgot them).
    pub fn forget_here(&self) {
        self.forgotten.update_value(|n| *n += 1);
        // What the console kept of work done with these keys goes too: an
        // unfinished import's progress names users and instances.
        if self.vendor == Vendor::Aliyun {
            crate::sag::import_page::forget_progress();
        }
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
        let session = Session {
            aliyun: Keys::load(Vendor::Aliyun),
            tencent: Keys::load(Vendor::Tencent),
        };
        // "Forget" in another tab forgets here too.
        platform::on_storage(move |key, value| {
            let Some(note) = value.filter(|_| key == FORGET_KEY) else {
                return;
            };
            for keys in [session.aliyun, session.tencent] {
                if note.starts_with(&format!("{}:", keys.vendor.display_name())) {
                    keys.forget_here();
                }
            }
        });
        session
    }

    pub fn keys(&self, vendor: Vendor) -> Keys {
        match vendor {
            Vendor::Aliyun => self.aliyun,
            Vendor::Tencent => self.tencent,
        }
    }
}
