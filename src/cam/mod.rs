//! The CAM area: Tencent Cloud CAM sub-users.
//!
//! - `services`: the named operations, the only way these pages reach the cloud;
//! - pages: `users` (the list, `/cam`), `add` (`/cam/new`, with the one-time
//!   credentials view), `detail` (`/cam/users/<name>`), and the `delete` dialog
//!   both offer;
//! - plain logic tested natively: `list` (columns, search, sort) and
//!   `add_form` (the form's checks, the credentials CSV, error fields).

pub mod add;
pub mod add_form;
pub mod delete;
pub mod detail;
pub mod edit;
pub mod list;
pub mod parts;
pub mod services;
pub mod text;
pub mod users;

/// The CAM area's part in the shell: Settings' key test (the sub-user
/// list's first page). Forget leaves nothing of CAM's behind to wipe: the
/// one-time secrets live only in the page's memory.
pub fn area() -> crate::shell::areas::Area {
    crate::shell::areas::Area {
        first_page: || Box::pin(async { drop(parts::preload_users().await) }),
        test_keys: |client, l| Box::pin(async move { test_keys(&client, l).await }),
        forget: || {},
    }
}

/// Lists the sub-users once; the answer, in words.
async fn test_keys(
    client: &crate::plumbing::ApiClient,
    l: crate::i18n::Locale,
) -> Result<String, crate::plumbing::CallError> {
    use crate::i18n::td_string;
    let count = services::test_connection(client).await?;
    let scheme = client
        .config()
        .tencent
        .signature
        .name(sag_api::Vendor::Tencent);
    let host = &client.config().tencent.sign_host;
    Ok(if count == 1 {
        td_string!(l, settings.connected_tencent_single, scheme, count, host).to_string()
    } else {
        td_string!(l, settings.connected_tencent_many, scheme, count, host).to_string()
    })
}
