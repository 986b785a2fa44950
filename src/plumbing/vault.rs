//! Remembered keys at rest: sealed with AES-GCM under a device key that
//! WebCrypto generates as non-extractable and IndexedDB keeps.
//!
//! What this protects: a copy of the browser profile's storage files, a
//! sync or backup of them, or anyone reading local storage by hand holds
//! only ciphertext, and the device key cannot be read out of the browser
//! (WebCrypto refuses to export it). What it does not protect against: a
//! script running on this origin can ask the browser to decrypt, exactly as
//! the console does (see `docs/deploy.md`).

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, IdbDatabase, IdbRequest, IdbTransactionMode, SubtleCrypto};

/// The IndexedDB database and store of the device key.
const DATABASE: &str = "sag-console";
const STORE: &str = "device-keys";
/// The one key, used for both clouds' remembered keys.
const KEY_NAME: &str = "remembered-keys.v1";
/// AES-GCM's usual nonce size.
const IV_BYTES: usize = 12;

/// Why sealing or opening failed, in words for the notice and the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultError(pub String);

impl From<JsValue> for VaultError {
    fn from(value: JsValue) -> VaultError {
        let text = value
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| value.as_string())
            .unwrap_or_else(|| "the browser refused".into());
        VaultError(text)
    }
}

impl From<&str> for VaultError {
    fn from(text: &str) -> VaultError {
        VaultError(text.into())
    }
}

/// A future for one IndexedDB request: its result, or its error.
fn settled(request: &IdbRequest) -> JsFuture {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let done = request.clone();
        let on_success = wasm_bindgen::closure::Closure::once_into_js(move || {
            let value = done.result().unwrap_or(JsValue::UNDEFINED);
            let _ = resolve.call1(&JsValue::NULL, &value);
        });
        let failed = request.clone();
        let on_error = wasm_bindgen::closure::Closure::once_into_js(move || {
            let why = failed
                .error()
                .ok()
                .flatten()
                .map(|e| JsValue::from_str(&e.message()))
                .unwrap_or_else(|| JsValue::from_str("an IndexedDB request failed"));
            let _ = reject.call1(&JsValue::NULL, &why);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise)
}

async fn database() -> Result<IdbDatabase, VaultError> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()?
        .ok_or("this browser offers no IndexedDB here (a private window?)")?;
    let open = factory.open_with_u32(DATABASE, 1)?;
    let creating = open.clone();
    let on_upgrade = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Ok(db) = creating.result() {
            let _ = db
                .unchecked_into::<IdbDatabase>()
                .create_object_store(STORE);
        }
    });
    open.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    Ok(settled(&open).await?.unchecked_into())
}

fn subtle() -> Result<SubtleCrypto, VaultError> {
    let crypto = web_sys::window().ok_or("no window")?.crypto()?;
    // Absent outside a secure context (plain HTTP to another host).
    let subtle = Reflect::get(&crypto, &"subtle".into())?;
    if subtle.is_undefined() {
        return Err("WebCrypto needs HTTPS (or localhost)".into());
    }
    Ok(subtle.unchecked_into())
}

fn aes_gcm(iv: Option<&[u8]>) -> Result<Object, VaultError> {
    let params = Object::new();
    Reflect::set(&params, &"name".into(), &"AES-GCM".into())?;
    match iv {
        Some(iv) => Reflect::set(&params, &"iv".into(), &Uint8Array::from(iv))?,
        None => Reflect::set(&params, &"length".into(), &256.into())?,
    };
    Ok(params)
}

async fn stored_key(db: &IdbDatabase) -> Result<Option<CryptoKey>, VaultError> {
    let store = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readonly)?
        .object_store(STORE)?;
    let found = settled(&store.get(&KEY_NAME.into())?).await?;
    Ok(found.dyn_into::<CryptoKey>().ok())
}

/// The device key: read from IndexedDB, or made (non-extractable) and
/// kept there. Two tabs making one at once keep the first one stored.
async fn device_key() -> Result<CryptoKey, VaultError> {
    let db = database().await?;
    let key = find_or_make_key(&db).await;
    // Not kept open: an open connection would block the database's
    // deletion (clearing site data) until the page goes.
    db.close();
    key
}

async fn find_or_make_key(db: &IdbDatabase) -> Result<CryptoKey, VaultError> {
    if let Some(key) = stored_key(db).await? {
        return Ok(key);
    }
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let made: CryptoKey =
        JsFuture::from(subtle()?.generate_key_with_object(&aes_gcm(None)?, false, &usages)?)
            .await?
            .unchecked_into();
    let store = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?
        .object_store(STORE)?;
    // `add`, not `put`: a key another tab stored first is never replaced
    // (what it sealed stays readable); this one then loses and is dropped.
    match settled(&store.add_with_key(&made, &KEY_NAME.into())?).await {
        Ok(_) => Ok(made),
        Err(_) => stored_key(db)
            .await?
            .ok_or_else(|| "the device key could not be stored".into()),
    }
}

/// Lower-case hex (a few hundred bytes of code, where a Base64 engine
/// costs kilobytes of the bundle; the stored text is short either way).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// `plain`, sealed: hex of a fresh 12-byte IV and the AES-GCM ciphertext
/// (which carries its own tag: a changed byte fails to open).
pub async fn seal(plain: &str, iv: [u8; IV_BYTES]) -> Result<String, VaultError> {
    let key = device_key().await?;
    let sealed = JsFuture::from(subtle()?.encrypt_with_object_and_u8_array(
        &aes_gcm(Some(&iv))?,
        &key,
        plain.as_bytes(),
    )?)
    .await?;
    let mut out = iv.to_vec();
    out.extend(Uint8Array::new(&sealed).to_vec());
    Ok(hex(&out))
}

/// What [`seal`] sealed, or why it cannot be opened (another device key, a
/// changed text, no WebCrypto).
pub async fn open(sealed: &str) -> Result<String, VaultError> {
    let bytes = unhex(sealed).ok_or(VaultError::from("the stored keys are not hex"))?;
    if bytes.len() <= IV_BYTES {
        return Err("the stored keys are too short".into());
    }
    let (iv, data) = bytes.split_at(IV_BYTES);
    let key = device_key().await?;
    let plain = JsFuture::from(subtle()?.decrypt_with_object_and_u8_array(
        &aes_gcm(Some(iv))?,
        &key,
        data,
    )?)
    .await
    .map_err(|_| VaultError::from("the stored keys could not be decrypted"))?;
    String::from_utf8(Uint8Array::new(&plain).to_vec())
        .map_err(|_| "the stored keys are not text".into())
}

/// Whether the device key can be exported (it never can: for the tests).
pub async fn device_key_exportable() -> Result<bool, VaultError> {
    let key = device_key().await?;
    Ok(JsFuture::from(subtle()?.export_key("raw", &key)?)
        .await
        .is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_what_is_not_hex() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(unhex(&hex(&bytes)), Some(bytes));
        assert_eq!(hex(&[0, 15, 16, 255]), "000f10ff");
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("AB"), Some(vec![0xab]));
    }
}
