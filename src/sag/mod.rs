//! The SAG area: Alibaba Cloud Smart Access Gateway App client users.
//!
//! - `services`: the named operations, the only way these pages reach the cloud;
//! - pages: `instances` (the instance picker), `scope` (the parent route of one
//!   instance: header and tabs), `users` (the list), `create` (the form),
//!   `online` (who is online);
//! - plain logic tested natively: `list` (search, sort, URL state, summaries),
//!   `create_form` (the form's checks).

pub mod create;
pub mod create_form;
pub mod edit;
pub mod export;
pub mod import;
pub mod import_page;
pub mod import_progress;
pub mod instances;
pub mod list;
pub mod online;
pub mod online_list;
pub mod parts;
pub mod scope;
pub mod services;
pub mod text;
pub mod users;
pub mod users_data;
pub mod users_dialogs;

/// The SAG area's part in the shell: Settings' key test (the instances of
/// the first region in config.json) and what Forget wipes (an unfinished
/// import's progress, which names users and instances).
pub fn area() -> crate::shell::areas::Area {
    crate::shell::areas::Area {
        first_page: || Box::pin(async { drop(parts::preload_instances().await) }),
        test_keys: |client, l| Box::pin(async move { test_keys(&client, l).await }),
        forget: import_progress::forget_progress,
    }
}

/// Asks for the instances of the first region; the answer, in words.
async fn test_keys(
    client: &crate::plumbing::ApiClient,
    l: crate::i18n::Locale,
) -> Result<String, crate::plumbing::CallError> {
    use crate::i18n::td_string;
    let region = client
        .config()
        .aliyun
        .regions
        .first()
        .map(|r| r.id.clone())
        .unwrap_or_default();
    let count = services::test_connection(client, &region).await?;
    let scheme = client
        .config()
        .aliyun
        .signature
        .name(sag_api::Vendor::Aliyun);
    let region = &region;
    Ok(if count == 1 {
        td_string!(l, settings.connected_aliyun_single, scheme, region, count).to_string()
    } else {
        td_string!(l, settings.connected_aliyun_many, scheme, region, count).to_string()
    })
}
