//! The admin's credentials, one set per cloud, side by side: in memory only,
//! unless the admin ticks "remember on this device" for that cloud, for a
//! time the admin chooses; "forget" wipes that cloud's set everywhere.
//!
//! Remembered keys are sealed (`plumbing::vault`: AES-GCM under a
//! non-extractable WebCrypto key kept in IndexedDB) and stored with their
//! end; keys past their end are wiped at start. Restoring them is
//! asynchronous: `restoring` is true until the keys are back (or found
//! unusable and wiped).

use leptos::prelude::*;
use sag_api::{Credentials, Secret, Vendor};

use crate::plumbing::{platform, vault};

/// What is sealed: the keys as typed, as a JSON object
/// `{"access_key_id":…,"access_key_secret":…,"security_token":…|null}`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
}

impl Stored {
    fn to_json(&self) -> String {
        use sag_api::json::quote;
        format!(
            "{{\"access_key_id\":{},\"access_key_secret\":{},\"security_token\":{}}}",
            quote(&self.access_key_id),
            quote(&self.access_key_secret),
            self.security_token.as_deref().map_or("null".into(), quote)
        )
    }

    /// The sealed text read back: both keys must be strings; the token is
    /// optional.
    fn from_json(text: &str) -> Option<Stored> {
        let value = sag_api::json::parse(text).ok()?;
        let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        Some(Stored {
            access_key_id: text("access_key_id")?,
            access_key_secret: text("access_key_secret")?,
            security_token: text("security_token"),
        })
    }
}

/// What local storage holds for a remembered cloud: when it ends, and the
/// sealed keys. Nothing in it is usable without the device key. Written as
/// `v2 UNTIL SEALED` (a plain format: no serde code for it in the bundle).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remembered {
    /// Unix seconds after which the keys are wiped, unread.
    pub until: i64,
    pub sealed: String,
}

impl Remembered {
    pub fn parse(text: &str) -> Option<Remembered> {
        let mut parts = text.split(' ');
        let (Some("v2"), Some(until), Some(sealed), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        Some(Remembered {
            until: until.parse().ok()?,
            sealed: sealed.to_owned(),
        })
    }

    pub fn encode(&self) -> String {
        format!("v2 {} {}", self.until, self.sealed)
    }

    pub fn expired(&self, now: i64) -> bool {
        now >= self.until
    }
}

/// How long keys may be remembered, in hours: the choices Settings offers
/// (the first is the default).
pub const REMEMBER_HOURS: [i64; 4] = [8, 24, 7 * 24, 30 * 24];

/// One cloud's credentials. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Keys {
    pub vendor: Vendor,
    pub credentials: RwSignal<Option<Credentials>>,
    pub remembered: RwSignal<bool>,
    /// When the remembered keys end (Unix seconds), while remembered.
    pub remembered_until: RwSignal<Option<i64>>,
    /// Remembered keys are being unsealed (the guard waits for them).
    pub restoring: RwSignal<bool>,
    /// Counts "Forget": a connection test started before a forget must not
    /// connect when it ends.
    pub forgotten: StoredValue<u64>,
    /// What the cloud's area wipes on Forget (registered by the app root).
    on_forget: fn(),
}

/// Written (and removed at once) by "Forget", so that other tabs hear of it.
pub const FORGET_KEY: &str = "sag-console.forget.v1";

/// Where a vendor's remembered (sealed) credentials live in local storage.
pub fn storage_key(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Aliyun => "sag-console.credentials.v2",
        Vendor::Tencent => "sag-console.tencent-credentials.v2",
    }
}

/// Where earlier versions kept the keys in plain text: wiped at start.
fn plain_text_key(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::Aliyun => "sag-console.credentials.v1",
        Vendor::Tencent => "sag-console.tencent-credentials.v1",
    }
}

impl Keys {
    /// Starts empty, and unseals the remembered credentials if the admin
    /// opted in earlier and their time has not ended (else wipes them).
    fn load(vendor: Vendor, on_forget: fn()) -> Keys {
        platform::storage_remove(plain_text_key(vendor));
        let key = storage_key(vendor);
        let remembered = platform::storage_get(key).map(|text| Remembered::parse(&text));
        let usable = match remembered {
            Some(Some(r)) if !r.expired(platform::now_unix()) => Some(r),
            Some(_) => {
                platform::storage_remove(key);
                None
            }
            None => None,
        };
        let keys = Keys {
            vendor,
            credentials: RwSignal::new(None),
            remembered: RwSignal::new(false),
            remembered_until: RwSignal::new(None),
            restoring: RwSignal::new(usable.is_some()),
            forgotten: StoredValue::new(0),
            on_forget,
        };
        if let Some(r) = usable {
            leptos::task::spawn_local(async move {
                let forgets_before = keys.forgotten.get_value();
                let opened = vault::open(&r.sealed)
                    .await
                    .ok()
                    .and_then(|text| Stored::from_json(&text));
                // A Forget or a Connect while unsealing wins.
                let untouched = keys.forgotten.get_value() == forgets_before
                    && keys.credentials.with_untracked(Option::is_none);
                match opened {
                    Some(s) if untouched => {
                        keys.credentials.set(Some(Credentials {
                            access_key_id: s.access_key_id,
                            access_key_secret: Secret::new(s.access_key_secret),
                            security_token: s
                                .security_token
                                .filter(|t| !t.is_empty())
                                .map(Secret::new),
                        }));
                        keys.remembered.set(true);
                        keys.remembered_until.set(Some(r.until));
                    }
                    Some(_) => {}
                    // Sealed under another device key, or changed: of no use.
                    None => platform::storage_remove(key),
                }
                keys.restoring.set(false);
            });
        }
        keys
    }

    /// Holds the keys for this tab, and on this device for `remember_hours`
    /// when given (sealed). Returns whether remembering worked: WebCrypto
    /// or storage can be missing, full or blocked (then the keys are held
    /// for this tab only, and the caller says so).
    pub async fn connect(&self, credentials: Credentials, remember_hours: Option<i64>) -> bool {
        let key = storage_key(self.vendor);
        let mut stored_ok = true;
        let mut until = None;
        if let Some(hours) = remember_hours {
            let stored = Stored {
                access_key_id: credentials.access_key_id.clone(),
                access_key_secret: credentials.access_key_secret.expose().to_owned(),
                security_token: credentials
                    .security_token
                    .as_ref()
                    .map(|t| t.expose().to_owned()),
            };
            let mut iv = [0u8; 12];
            iv.copy_from_slice(&platform::random16()[..12]);
            let sealed = vault::seal(&stored.to_json(), iv).await.ok();
            let end = platform::now_unix() + hours * 3600;
            stored_ok = sealed.is_some_and(|sealed| {
                platform::storage_set(key, &Remembered { until: end, sealed }.encode())
            });
            if stored_ok {
                until = Some(end);
            } else {
                platform::storage_remove(key);
            }
        } else {
            platform::storage_remove(key);
        }
        self.remembered.set(until.is_some());
        self.remembered_until.set(until);
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
        self.remembered_until.set(None);
        self.restoring.set(false);
        // What the console kept of work done with these keys goes too (an
        // unfinished import's progress names users and instances).
        (self.on_forget)();
        self.remembered.set(false);
        self.credentials.set(None);
    }

    /// Whether credentials are held or being restored (tracked).
    pub fn held_or_restoring(&self) -> bool {
        self.connected() || self.restoring.get()
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
    pub fn load(areas: &super::areas::Areas) -> Session {
        let session = Session {
            aliyun: Keys::load(Vendor::Aliyun, areas.aliyun.forget),
            tencent: Keys::load(Vendor::Tencent, areas.tencent.forget),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_keys_end_when_their_time_does() {
        let r = Remembered {
            until: 1_000,
            sealed: "00ff".into(),
        };
        let text = r.encode();
        assert_eq!(text, "v2 1000 00ff");
        assert_eq!(Remembered::parse(&text), Some(r.clone()));
        assert_eq!(Remembered::parse("v2 1000 00ff extra"), None);
        assert_eq!(Remembered::parse("v2 soon 00ff"), None);
        assert!(!r.expired(999));
        assert!(r.expired(1_000));
        // The plain-text format of earlier versions is not read.
        assert_eq!(
            Remembered::parse(r#"{"access_key_id":"LTAI","access_key_secret":"s"}"#),
            None
        );
        assert_eq!(Remembered::parse("junk"), None);
        assert_eq!(REMEMBER_HOURS[0], 8, "the default is a working day");
    }

    #[test]
    fn sealed_keys_read_back_as_written_and_as_earlier_versions_wrote_them() {
        let with_token = Stored {
            access_key_id: "LTAI\"5t".into(),
            access_key_secret: "s3cr\\et\n中".into(),
            security_token: Some("tok".into()),
        };
        let without = Stored {
            security_token: None,
            ..with_token.clone()
        };
        for stored in [&with_token, &without] {
            assert_eq!(Stored::from_json(&stored.to_json()).as_ref(), Some(stored));
        }
        // The bytes serde_json wrote for the same fields (earlier versions).
        assert_eq!(
            without.to_json(),
            r#"{"access_key_id":"LTAI\"5t","access_key_secret":"s3cr\\et\n中","security_token":null}"#
        );
        assert_eq!(
            Stored::from_json(r#"{"access_key_id":"a","access_key_secret":"b"}"#),
            Some(Stored {
                access_key_id: "a".into(),
                access_key_secret: "b".into(),
                security_token: None,
            })
        );
        assert_eq!(Stored::from_json(r#"{"access_key_id":"a"}"#), None);
        assert_eq!(
            Stored::from_json(r#"{"access_key_id":1,"access_key_secret":"b"}"#),
            None
        );
        assert_eq!(Stored::from_json("not json"), None);
    }
}
