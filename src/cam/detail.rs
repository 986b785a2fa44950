//! `/cam/users/<name>`: one sub-user (`GetUser`) with what the list lacks,
//! the last login IP and time, and delete.

use crate::i18n::{t_string, td_string, use_i18n};
use crate::shell::language::tr;
use crate::shell::router::{use_navigate, A};
use leptos::prelude::*;
use sag_api::cam::UserDetail;

use super::delete::DeleteCamUserDialog;
use super::edit::CamEditForm;
use super::services;
use crate::plumbing::CallError;
use crate::shell::errors::ErrorPanel;
use crate::shell::notices::use_notices;
use crate::shell::use_api;

#[component]
pub fn CamUserPage() -> impl IntoView {
    let page = crate::shell::routes::use_page();
    // The path segment, decoded (`Page::of`).
    let name = Memo::new(move |_| match page.get() {
        crate::shell::routes::Page::CamUser { name } => name,
        _ => String::new(),
    });
    let api = use_api();
    let i18n = use_i18n();
    let notices = use_notices();
    let navigate = use_navigate();
    let user: LocalResource<Result<Option<UserDetail>, CallError>> =
        LocalResource::new(move || {
            let name = name.get();
            let client = api.tencent_tracked();
            async move {
                let Some(client) = client else {
                    return Err(CallError::not_connected(sag_api::Vendor::Tencent));
                };
                services::get_user(&client, &name).await
            }
        });
    let deleting = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let on_saved = Callback::new(move |_| {
        editing.set(false);
        notices.push(
            td_string!(
                i18n.get_locale_untracked(),
                cam.saved,
                name = name.get_untracked()
            )
            .to_string(),
        );
        user.refetch();
    });
    let on_deleted = Callback::new(move |gone: String| {
        deleting.set(false);
        notices
            .push(td_string!(i18n.get_locale_untracked(), cam.deleted, name = &gone).to_string());
        navigate("/cam", crate::shell::after_submit());
    });
    let or_dash = |v: Option<String>| v.filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into());

    view! {
        <section class="page narrow">
            <p><A href=crate::shell::href("/cam")>{tr(|l| td_string!(l, cam.all))}</A></p>
            <h1 class="mono">{move || name.get()}</h1>
            {move || match user.get() {
                None => view! { <p class="progress">{tr(|l| td_string!(l, cam.loading_one))}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorPanel error=e context=t_string!(i18n, cam.read_failed) /> }.into_any(),
                Some(Ok(None)) => view! {
                    <p class="warning" role="alert" id="cam-user-missing">{t_string!(i18n, cam.missing, name = name.get()).to_string()}</p>
                }.into_any(),
                Some(Ok(Some(u))) => {
                    let phone = match (u.country_code.clone(), u.phone_num.clone()) {
                        (Some(c), Some(n)) if !c.is_empty() && !n.is_empty() => format!("+{c} {n}"),
                        (_, n) => or_dash(n),
                    };
                    view! {
                        <dl class="facts" id="cam-user">
                            <dt>"UIN"</dt><dd class="mono">{u.uin.to_string()}</dd>
                            <dt>"UID"</dt><dd class="mono">{u.uid.to_string()}</dd>
                            <dt>{tr(|l| td_string!(l, cam.col_remark))}</dt><dd>{or_dash(u.remark.clone())}</dd>
                            <dt>{tr(|l| td_string!(l, cam.col_login))}</dt><dd>{if u.console_login != 0 { tr(|l| td_string!(l, cam.allowed)) } else { tr(|l| td_string!(l, cam.not_allowed)) }}</dd>
                            <dt>{tr(|l| td_string!(l, cam.col_phone))}</dt><dd class="mono">{phone}</dd>
                            <dt>{tr(|l| td_string!(l, cam.col_email))}</dt><dd>{or_dash(u.email.clone())}</dd>
                            <dt>{tr(|l| td_string!(l, cam.last_ip))}</dt><dd class="mono" id="last-login-ip">{or_dash(u.recently_login_ip.clone())}</dd>
                            <dt>{tr(|l| td_string!(l, cam.last_login))}</dt><dd id="last-login-time">{or_dash(u.recently_login_time.clone())}</dd>
                        </dl>
                        {move || if editing.get() {
                            view! { <CamEditForm user=u.clone() on_saved=on_saved on_cancel=Callback::new(move |_| editing.set(false)) /> }.into_any()
                        } else {
                            view! {
                                <div class="actions">
                                    <button type="button" class="secondary" id="cam-edit" on:click=move |_| editing.set(true)>{tr(|l| td_string!(l, users.edit))}</button>
                                    <button type="button" class="danger" id="cam-delete" on:click=move |_| deleting.set(true)>{tr(|l| td_string!(l, cam.delete_user))}</button>
                                </div>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
            {move || deleting.get().then(|| view! {
                <DeleteCamUserDialog name=name.get_untracked() on_done=on_deleted on_cancel=Callback::new(move |_| deleting.set(false)) />
            })}
        </section>
    }
}
