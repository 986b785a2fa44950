//! The create-user form: validated as the admin types (once a field was
//! visited) and on submit by the api crate's validators; service errors land
//! on their field; every value survives any failure.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use sag_api::smartag::{ClientUser, CreateClientUser, DescribeClientUsers};
use sag_api::validate;

use super::users::{load_instance_info, InstanceHeader, JustCreated};
use super::{
    use_api, use_config, use_instance_params, ErrorPanel, InstanceNav, NeedsConnection, Notices,
};
use crate::client::{ApiClient, CallError};
use crate::create_form::{CreateForm, FormContext, FormField};
use crate::platform;

#[component]
pub fn CreatePage() -> impl IntoView {
    let (region, instance) = use_instance_params();
    let api = use_api();
    let connected = move || api.connected();
    view! {
        <Show when=connected fallback=|| view! { <NeedsConnection /> }>
            <CreateUser region=region instance=instance />
        </Show>
    }
}

/// Props of one labelled input with its message under it.
#[component]
fn Input(
    field: FormField,
    #[prop(into)] label: String,
    #[prop(into)] hint: Signal<String>,
    #[prop(into)] kind: Signal<String>,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    on_blur: Callback<()>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let id = field.id();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            <div class="with-button">
                <input
                    id=id
                    name=id
                    type=move || kind.get()
                    spellcheck="false"
                    autocomplete=if autocomplete.is_empty() { "off" } else { autocomplete }
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=format!("{hint_id} {error_id}")
                    prop:value=move || value.get()
                    on:input:target=move |ev| on_input.run(ev.target().value())
                    on:blur=move |_| on_blur.run(())
                />
                {children.map(|c| c())}
            </div>
            <p id=hint_id class="hint">{move || hint.get()}</p>
            <p id=error_id class="field-error" role="alert" aria-live="assertive">{move || error.get()}</p>
        </div>
    }
}

/// Where the page reports a submit's outcome back into the form.
#[derive(Clone, Copy)]
pub struct FormFeedback {
    pub field_errors: RwSignal<HashMap<FormField, String>>,
    pub banner: RwSignal<Option<CallError>>,
    pub note: RwSignal<Option<String>>,
    pub busy: RwSignal<bool>,
}

impl Default for FormFeedback {
    fn default() -> Self {
        FormFeedback {
            field_errors: RwSignal::new(HashMap::new()),
            banner: RwSignal::new(None),
            note: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }
}

impl FormFeedback {
    fn clear(&self) {
        self.field_errors.set(HashMap::new());
        self.banner.set(None);
        self.note.set(None);
    }

    /// A service error goes under its field (which gets focus), or in the banner.
    pub fn service_error(&self, e: CallError) {
        match FormField::for_error(&e.error) {
            Some(field) => {
                let code = e.error.code().unwrap_or_default().to_owned();
                self.field_errors.update(|m| {
                    m.insert(field, format!("{} ({code})", e.error));
                });
                platform::focus_id(field.id());
            }
            None => self.banner.set(Some(e)),
        }
    }
}

#[component]
fn CreateUser(region: Memo<String>, instance: Memo<String>) -> impl IntoView {
    let config = use_config();
    let notices = expect_context::<Notices>();
    let just_created = expect_context::<JustCreated>().0;
    let navigate = use_navigate();
    let api = use_api();
    let info = load_instance_info(api, region, instance);
    let feedback = FormFeedback::default();
    let cidr = Signal::derive(move || {
        info.with(|i| match i {
            Some(Ok(Some(i))) => i.cidr_block.clone(),
            _ => None,
        })
    });

    let submit = Callback::new(move |request: CreateClientUser| {
        let Some(client) = api.client() else { return };
        let navigate = navigate.clone();
        feedback.busy.set(true);
        spawn_local(async move {
            let outcome = create_once(&client, &request).await;
            feedback.busy.set(false);
            match outcome {
                Created::Yes(name, confirmed_after) => {
                    just_created.set(Some(name.clone()));
                    notices.push(match confirmed_after {
                        Some(_) => format!("Created {name}: the answer was lost, but the list shows the user exists."),
                        None => format!("Created {name} ({}).", request.user_mail),
                    });
                    navigate(
                        &format!("/sag/{}/{}", request.region_id, request.smart_ag_id),
                        Default::default(),
                    );
                }
                Created::No(e, checked) => {
                    if checked {
                        feedback.note.set(Some(
                            "Nothing was created (the list was checked). Submit again to retry."
                                .into(),
                        ));
                    }
                    feedback.service_error(e);
                }
            }
        });
    });

    view! {
        <section class="page">
            <InstanceHeader region=region instance=instance info=info />
            <InstanceNav region=region instance=instance />
            <h2>"New client user"</h2>
            <CreateUserForm
                region=region
                instance=instance
                cidr=cidr
                max_bandwidth=config.max_bandwidth_kbps
                feedback=feedback
                on_submit=submit
            />
        </section>
    }
}

/// The form itself. It validates and builds the typed request; the page
/// sends it and reports back through `feedback`.
#[component]
pub fn CreateUserForm(
    #[prop(into)] region: Signal<String>,
    #[prop(into)] instance: Signal<String>,
    /// The instance's client CIDR, once known.
    #[prop(into)]
    cidr: Signal<Option<String>>,
    max_bandwidth: u32,
    feedback: FormFeedback,
    on_submit: Callback<CreateClientUser>,
) -> impl IntoView {
    let form = RwSignal::new(CreateForm::default());
    let visited: RwSignal<HashSet<FormField>> = RwSignal::new(HashSet::new());
    let submitted = RwSignal::new(false);
    let show_password = RwSignal::new(false);
    let server_errors = feedback.field_errors;
    let ctx = Memo::new(move |_| FormContext {
        max_bandwidth,
        cidr: cidr.get().as_deref().and_then(validate::parse_cidr),
    });

    let error_for = move |field: FormField| {
        Signal::derive(move || {
            server_errors.with(|m| m.get(&field).cloned()).or_else(|| {
                let shown = submitted.get() || visited.with(|v| v.contains(&field));
                if shown {
                    form.with(|f| f.error(field, &ctx.get()))
                } else {
                    None
                }
            })
        })
    };
    let value_of = move |get: fn(&CreateForm) -> String| Signal::derive(move || form.with(get));
    let setter = move |field: FormField, set: fn(&mut CreateForm, String)| {
        Callback::new(move |v: String| {
            form.update(|f| set(f, v));
            server_errors.update(|m| {
                m.remove(&field);
                // The pair rule spans both fields.
                if matches!(field, FormField::UserName | FormField::Password) {
                    m.remove(&FormField::UserName);
                    m.remove(&FormField::Password);
                }
            });
        })
    };
    let blur = move |field: FormField| {
        Callback::new(move |_| {
            visited.update(|v| {
                v.insert(field);
            })
        })
    };

    let submit = move || {
        if feedback.busy.get_untracked() {
            return;
        }
        submitted.set(true);
        feedback.clear();
        match form.get_untracked().to_request(
            &region.get_untracked(),
            &instance.get_untracked(),
            &ctx.get_untracked(),
        ) {
            Ok(request) => on_submit.run(request),
            Err(errors) => {
                if let Some(first) = errors.keys().next() {
                    platform::focus_id(first.id());
                }
            }
        }
    };

    let bandwidth_hint = Signal::derive(move || {
        format!(
            "Kbit/s, 1 to {max_bandwidth} (this deployment's maximum). Default {}.",
            validate::LIMITS.bandwidth_default
        )
    });
    let ip_hint = Signal::derive(move || {
        match cidr.get() {
        Some(c) => format!("Optional. An address inside the instance's client CIDR {c}; empty means one is assigned at each connection."),
        None => "Optional. A private IPv4 address inside the instance's client CIDR; empty means one is assigned at each connection.".into(),
    }
    });
    let l = validate::LIMITS;
    let busy = feedback.busy;
    let note = feedback.note;
    let banner = feedback.banner;

    view! {
            <form id="create-form" class="form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <Input
                    field=FormField::Email label="Email" kind="email" autocomplete="email"
                    hint=format!("Required, at most {} characters. The client's login details are sent to it.", l.email_max)
                    value=value_of(|f| f.email.clone())
                    on_input=setter(FormField::Email, |f, v| f.email = v)
                    on_blur=blur(FormField::Email)
                    error=error_for(FormField::Email)
                />
                <Input
                    field=FormField::Bandwidth label="Bandwidth (Kbit/s)" kind="text"
                    hint=bandwidth_hint
                    value=value_of(|f| f.bandwidth.clone())
                    on_input=setter(FormField::Bandwidth, |f, v| f.bandwidth = v)
                    on_blur=blur(FormField::Bandwidth)
                    error=error_for(FormField::Bandwidth)
                />
                <fieldset>
                    <legend>"Login (optional: both or neither)"</legend>
                    <Input
                        field=FormField::UserName label="Username" kind="text" autocomplete="off"
                        hint=format!("{} to {} letters, digits or _ @ . -, starting with a letter or digit. Empty: the email is the username and the password is generated and mailed.", l.user_name_min, l.user_name_max)
                        value=value_of(|f| f.user_name.clone())
                        on_input=setter(FormField::UserName, |f, v| f.user_name = v)
                        on_blur=blur(FormField::UserName)
                        error=error_for(FormField::UserName)
                    />
                    <Input
                        field=FormField::Password label="Password" autocomplete="new-password"
                        kind=Signal::derive(move || if show_password.get() { "text".to_owned() } else { "password".to_owned() })
                        hint=format!("{} to {} letters, digits or _ @ -, starting with a letter or digit.", l.password_min, l.password_max)
                        value=value_of(|f| f.password.clone())
                        on_input=setter(FormField::Password, |f, v| f.password = v)
                        on_blur=blur(FormField::Password)
                        error=error_for(FormField::Password)
                    >
                        <button type="button" class="secondary" id="toggle-password" aria-pressed=move || show_password.get().to_string() on:click=move |_| show_password.update(|s| *s = !*s)>
                            {move || if show_password.get() { "Hide" } else { "Show" }}
                        </button>
                        <button type="button" class="secondary" id="generate-password" on:click=move |_| {
                            let generated = validate::generate_password(platform::random16());
                            form.update(|f| f.password = generated.0.expose().to_owned());
                            server_errors.update(|m| { m.remove(&FormField::Password); });
                            show_password.set(true);
                        }>"Generate"</button>
                    </Input>
                </fieldset>
                <Input
                    field=FormField::ClientIp label="Static client IP" kind="text"
                    hint=ip_hint
                    value=value_of(|f| f.client_ip.clone())
                    on_input=setter(FormField::ClientIp, |f, v| f.client_ip = v)
                    on_blur=blur(FormField::ClientIp)
                    error=error_for(FormField::ClientIp)
                />
                <div id="create-result" aria-live="polite">
                    {move || note.get().map(|n| view! { <p class="warning">{n}</p> })}
                    {move || banner.get().map(|e| view! { <ErrorPanel error=e context="The user was not created." /> })}
                </div>
                <div class="actions">
                    <button type="submit" class="primary" id="create-submit" disabled=move || busy.get()>
                        {move || if busy.get() { "Creating…" } else { "Create user" }}
                    </button>
                </div>
            </form>
    }
}

enum Created {
    /// The user exists; `Some(error)` if that was confirmed after an ambiguous failure.
    Yes(String, Option<CallError>),
    /// Not created; `true` if the list was checked after an ambiguous failure.
    No(CallError, bool),
}

/// Sends the create once. After an ambiguous failure (timeout, cut-off or
/// lost answer) it looks the user up before saying anything, so a create is
/// never silently sent twice.
async fn create_once(client: &ApiClient, request: &CreateClientUser) -> Created {
    let name = request
        .credentials
        .as_ref()
        .map(|c| c.0.clone())
        .unwrap_or_else(|| request.user_mail.clone());
    match client.send(request).await {
        Ok(created) => Created::Yes(
            if created.user_name.is_empty() {
                name
            } else {
                created.user_name
            },
            None,
        ),
        Err(e) if e.error.is_ambiguous() => {
            let mut lookup =
                DescribeClientUsers::page(&request.region_id, &request.smart_ag_id, 1, 10);
            lookup.user_name = Some(name.clone());
            match client.read(&lookup, &|_| {}).await {
                Ok(page) if page.users.iter().any(|u: &ClientUser| u.user_name == name) => {
                    Created::Yes(name, Some(e))
                }
                Ok(_) => Created::No(e, true),
                Err(_) => Created::No(e, false),
            }
        }
        Err(e) => Created::No(e, false),
    }
}
