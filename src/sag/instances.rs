//! The instance picker: a region, then its SAG App instances with their client
//! CIDR and user quota, or an instance ID typed in. The region is in the URL.

use crate::i18n::{t_string, td_string, use_i18n};
use crate::shell::language::tr;
use crate::shell::router::{use_navigate, use_query_map, A};
use leptos::prelude::*;
use sag_api::smartag::SagInstance;

use super::services;
use crate::plumbing::{CallError, RetryNotice};
use crate::shell::errors::ErrorPanel;
use crate::shell::{use_api, use_config};
use sag_api::Vendor;

/// `/sag?region=`: the picker for a region the console may use (one of
/// `config.json`'s, or one of the vendor's form); any other region in the
/// address gets the not-found page and sends nothing.
#[component]
pub fn InstancesPage() -> impl IntoView {
    // An instance's user list is the likely next page.
    crate::shell::parts::prefetch_when_idle(|| {
        Box::pin(async {
            let _ = super::parts::preload_users().await;
        })
    });
    let config = use_config();
    let query = use_query_map();
    let usable = Memo::new(move |_| match query.read().get("region") {
        Some(r) => config.usable_region(&r),
        None => true,
    });
    move || {
        if usable.get() {
            view! { <InstancePicker /> }.into_any()
        } else {
            view! { <crate::shell::layout::NotFound /> }.into_any()
        }
    }
}

#[component]
fn InstancePicker() -> impl IntoView {
    let config = use_config();
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let default_region = config
        .aliyun
        .regions
        .first()
        .map(|r| r.id.clone())
        .unwrap_or_default();
    let region = Memo::new(move |_| {
        query
            .read()
            .get("region")
            .unwrap_or_else(|| default_region.clone())
    });
    let retry_note: RwSignal<Option<String>> = RwSignal::new(None);
    let typed = RwSignal::new(String::new());
    let typed_error = RwSignal::new(None::<&'static str>);
    let api = use_api();
    let list = LocalResource::new(move || {
        let region = region.get();
        let client = api.aliyun_tracked();
        async move {
            let Some(client) = client else {
                return (region, Err(CallError::not_connected(Vendor::Aliyun)));
            };
            let notify = move |n: Option<RetryNotice>| {
                retry_note.set(n.map(|n| crate::text::retry(i18n.get_locale_untracked(), &n)))
            };
            let result = services::instances(&client, &region, &notify).await;
            (region, result)
        }
    });

    let go_typed = {
        move || {
            let id = typed.get_untracked().trim().to_owned();
            if !sag_api::validate::is_sag_instance_id(&id) {
                typed_error.set(Some(td_string!(
                    i18n.get_locale_untracked(),
                    instances.bad_id
                )));
                crate::plumbing::platform::focus_id("instance-id");
                return;
            }
            typed_error.set(None);
            navigate(
                &crate::shell::routes::Page::instance(&region.get_untracked(), &id).href(),
                Default::default(),
            );
        }
    };
    let regions = config.aliyun.regions.clone();
    let region_label = {
        let config = config.clone();
        move || config.region_name(&region.get())
    };

    view! {
            <section class="page">
                <h1>{tr(|l| td_string!(l, instances.title))}</h1>
                <div class="toolbar">
                    <label for="region">{tr(|l| td_string!(l, instances.region))}</label>
                    <select
                        id="region"
                        on:change:target={
                            move |ev| navigate(&format!("/sag?region={}", ev.target().value()), Default::default())
                        }
                    >
                        {regions.iter().map(|r| {
                            let id = r.id.clone();
                            let selected = {
                                let id = id.clone();
                                move || region.get() == id
                            };
                            view! { <option value=id.clone() selected=selected>{if r.name.is_empty() { id.clone() } else { format!("{} ({})", r.name, id) }}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div aria-live="polite">
                    // Until the chosen region's answer lands, say so (not the last region's list).
                    {move || match list.get().filter(|(r, _)| *r == region.get()).map(|(_, l)| l) {
                        None => view! {
                            <p class="progress">{t_string!(i18n, instances.loading, region = region_label()).to_string()}</p>
                            {move || retry_note.get().map(|n| view! { <p class="retry-note">{n}</p> })}
                        }.into_any(),
                        Some(Err(e)) => view! { <ErrorPanel error=e context=t_string!(i18n, instances.list_failed) /> }.into_any(),
                        Some(Ok(list)) if list.is_empty() => view! {
                            <p class="empty">{t_string!(i18n, instances.none, region = region_label()).to_string()}</p>
                        }.into_any(),
                        Some(Ok(list)) => view! { <InstanceTable region=region.get_untracked() instances=list /> }.into_any(),
                    }}
                </div>
                <FindEverywhere region=region />
                <form class="inline-form" novalidate on:submit={
                    move |ev| { ev.prevent_default(); go_typed(); }
                }>
                    <div class="field">
                        <label for="instance-id">{tr(|l| td_string!(l, instances.open_by_id))}</label>
                        <div class="with-button">
                            <input
                                id="instance-id"
                                spellcheck="false"
                                placeholder="sag-…"
                                aria-describedby="instance-id-error"
                                aria-invalid=move || typed_error.get().is_some().to_string()
                                prop:value=move || typed.get()
                                on:input:target=move |ev| typed.set(ev.target().value())
                            />
                            <button type="submit" class="secondary">{tr(|l| td_string!(l, instances.open))}</button>
                        </div>
                        <p id="instance-id-error" class="field-error" aria-live="polite">{move || typed_error.get()}</p>
                    </div>
                </form>
            </section>
    }
}

#[component]
fn InstanceTable(region: String, instances: Vec<SagInstance>) -> impl IntoView {
    view! {
        <div class="table-wrap"><table class="data" id="instances">
            <thead>
                <tr><th scope="col">{tr(|l| td_string!(l, instances.instance))}</th><th scope="col">{tr(|l| td_string!(l, instances.status))}</th><th scope="col">{tr(|l| td_string!(l, instances.cidr))}</th><th scope="col">{tr(|l| td_string!(l, instances.quota))}</th><th scope="col">{tr(|l| td_string!(l, instances.open))}</th></tr>
            </thead>
            <tbody>
                {instances.into_iter().map(|i| {
                    let base = crate::shell::routes::Page::instance(&region, &i.smart_ag_id).href();
                    view! {
                        <tr>
                            <td><strong>{i.name.clone()}</strong><br/><span class="mono muted">{i.smart_ag_id.clone()}</span></td>
                            <td>{i.status.clone()}</td>
                            <td class="mono">{i.cidr_block.clone().unwrap_or_else(|| "—".into())}</td>
                            <td>{i.user_count.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                            <td class="row-actions">
                                <A href=crate::shell::href(&base)>{tr(|l| td_string!(l, instance.users))}</A>
                                <A href=crate::shell::href(&format!("{base}/online"))>{tr(|l| td_string!(l, online.title))}</A>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table></div>
    }
}

/// One box to find a user by name, email or IP in every instance of the
/// region, or of every region in config.json; results link to the
/// instance's list with the search filled in.
#[component]
fn FindEverywhere(region: Memo<String>) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let config = use_config();
    let all_regions: Vec<String> = config.aliyun.regions.iter().map(|r| r.id.clone()).collect();
    let query = RwSignal::new(String::new());
    let everywhere = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let progress = RwSignal::new((0usize, 0usize));
    let result: RwSignal<Option<(String, services::FoundEverywhere)>> = RwSignal::new(None);
    let error = RwSignal::new(None::<&'static str>);
    let search = move || {
        let q = query.get_untracked().trim().to_owned();
        if q.is_empty() {
            error.set(Some(td_string!(
                i18n.get_locale_untracked(),
                instances.find_empty
            )));
            return;
        }
        let Some(client) = api.aliyun() else { return };
        error.set(None);
        busy.set(true);
        result.set(None);
        let regions = if everywhere.get_untracked() {
            all_regions.clone()
        } else {
            vec![region.get_untracked()]
        };
        leptos::task::spawn_local(async move {
            let found = services::find_everywhere(&client, &regions, &q, &|done, of| {
                progress.set((done, of))
            })
            .await;
            busy.set(false);
            result.set(Some((q, found)));
        });
    };
    view! {
        <form class="inline-form" id="find-everywhere" novalidate on:submit=move |ev| { ev.prevent_default(); search(); }>
            <div class="field">
                <label for="find-user">{tr(|l| td_string!(l, instances.find_label))}</label>
                <div class="with-button">
                    <input id="find-user" type="search" spellcheck="false" placeholder=tr(|l| td_string!(l, instances.find_placeholder)) prop:value=move || query.get() on:input:target=move |ev| query.set(ev.target().value()) />
                    <button type="submit" class="secondary" id="find-user-go" disabled=move || busy.get()>{tr(|l| td_string!(l, instances.find))}</button>
                </div>
                <p class="field-error" aria-live="polite">{move || error.get()}</p>
            </div>
            // The shared checkbox field: the box beside its label (inside
            // the search field it took the field's full width).
            <crate::shell::field::CheckField id="find-all-regions" label=Signal::derive(move || t_string!(i18n, instances.every_region).to_owned()) checked=everywhere />
        </form>
        {move || busy.get().then(|| { let (done, of) = progress.get(); view! { <p class="progress" role="status">{t_string!(i18n, instances.searching, done, of).to_string()}</p> } })}
        {move || result.get().map(|(q, r)| {
            let l = i18n.get_locale();
            let failed: Vec<String> = r.failed.iter().map(|(what, e)| format!("{what}: {}", crate::text::with_code(l, e))).collect();
            let count = r.found.len();
            let found = r.found;
            view! {
                <section id="found-everywhere">
                    <p role="status">{if count == 1 {
                        td_string!(l, instances.found_single, count, q = &q, searched = r.instances_searched).to_string()
                    } else {
                        td_string!(l, instances.found_many, count, q = &q, searched = r.instances_searched).to_string()
                    }}</p>
                    {(!failed.is_empty()).then(|| view! { <ul class="problems">{failed.into_iter().map(|f| view! { <li>{td_string!(l, instances.not_searched, what = &f).to_string()}</li> }).collect_view()}</ul> })}
                    {(count > 0).then(move || view! {
                        <div class="table-wrap"><table class="data" id="found-users">
                            <thead><tr><th scope="col">{td_string!(l, online.user)}</th><th scope="col">{td_string!(l, users.col_email)}</th><th scope="col">"IP"</th><th scope="col">{td_string!(l, instances.instance)}</th></tr></thead>
                            <tbody>
                                {found.into_iter().map(|f| {
                                    let link = crate::shell::href(&format!("{}?q={}", crate::shell::routes::Page::instance(&f.region, &f.instance).href(), sag_api::wire::percent_encode(&f.user.user_name)));
                                    let name = f.user.user_name.clone();
                                    let shown = name.clone();
                                    let place = format!("{} ({}, {})", f.instance_name, f.instance, f.region);
                                    view! {
                                        <tr data-user=name>
                                            <td class="mono"><A href=link>{shown.clone()}</A></td>
                                            <td>{f.user.user_mail}</td>
                                            <td class="mono">{f.user.client_ip.unwrap_or_default()}</td>
                                            <td>{place}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    })}
                </section>
            }
        })}
    }
}
