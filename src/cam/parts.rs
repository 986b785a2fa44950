//! The CAM area's parts (`shell::parts`): the sub-user list, the add form
//! and a sub-user's page, each loaded on its first visit.

use leptos::prelude::*;

crate::part!(pub fn users, preload_users in cam = || view! { <super::users::CamUsersPage /> }.into_any());
crate::part!(pub fn add, preload_add in cam = || view! { <super::add::AddUserPage /> }.into_any());
crate::part!(pub fn detail, preload_detail in cam = || view! { <super::detail::CamUserPage /> }.into_any());
