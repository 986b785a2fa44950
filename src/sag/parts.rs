//! The SAG area's parts (`shell::parts`): each page is loaded on its first
//! visit. The instance list and the user list are parts of their own; the
//! create form, the import and the online view are each another.

use leptos::prelude::*;

crate::part!(pub fn instances, preload_instances in sag_instances = || view! { <super::instances::InstancesPage /> }.into_any());
crate::part!(pub fn users, preload_users in sag_users = || view! { <super::users::UsersPage /> }.into_any());
crate::part!(pub fn create, preload_create in sag_create_online = || view! { <super::create::CreatePage /> }.into_any());
crate::part!(pub fn import, preload_import in sag_import = || view! { <super::import_page::ImportPage /> }.into_any());
crate::part!(pub fn online, preload_online in sag_create_online = || view! { <super::online::OnlinePage /> }.into_any());
