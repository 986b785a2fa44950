//! The create-user page and form: validated as the admin types (once a
//! field was visited) and on submit by the api crate's validators; the
//! create is an `Action` that calls the `create_user` service; service
//! errors land on their field; every value survives any failure.

use std::collections::HashMap;

use crate::shell::router::use_navigate;
use leptos::prelude::*;
use sag_api::smartag::NewClientUser;
use sag_api::validate;

use super::create_form::{CreateForm, FormContext, FormField};
use super::scope::use_scope;
use super::services;
use super::users::JustCreated;
use crate::i18n::{t_string, td_string, use_i18n, Locale};
use crate::plumbing::{platform, CallError, Mutation};
use crate::shell::errors::ErrorPanel;
use crate::shell::field::TextField;
use crate::shell::form::FormState;
use crate::shell::language::tr;
use crate::shell::notices::use_notices;
use crate::shell::{use_api, use_config};
use crate::text;

/// Where the page reports a submit's outcome back into the form.
#[derive(Clone, Copy)]
pub struct FormFeedback {
    pub field_errors: RwSignal<HashMap<FormField, String>>,
    pub banner: RwSignal<Option<CallError>>,
    pub note: RwSignal<Option<String>>,
    pub busy: RwSignal<bool>,
    /// The last answer was lost and could not be checked.
    pub uncertain: RwSignal<bool>,
    /// The answer was lost and the list is being checked.
    pub checking: RwSignal<bool>,
}

impl Default for FormFeedback {
    fn default() -> Self {
        FormFeedback {
            field_errors: RwSignal::new(HashMap::new()),
            banner: RwSignal::new(None),
            note: RwSignal::new(None),
            busy: RwSignal::new(false),
            uncertain: RwSignal::new(false),
            checking: RwSignal::new(false),
        }
    }
}

impl FormFeedback {
    fn clear(&self) {
        self.field_errors.set(HashMap::new());
        self.banner.set(None);
        self.note.set(None);
        self.uncertain.set(false);
    }

    /// A service error goes under its field (which gets focus), or in the banner.
    /// `l`: the language the message under the field is written in.
    pub fn service_error(&self, l: Locale, e: CallError) {
        match FormField::for_error(&e.error) {
            Some(field) => {
                let code = e.error.code().unwrap_or_default().to_owned();
                let message = text::call_error(l, &e);
                self.field_errors.update(|m| {
                    m.insert(
                        field,
                        td_string!(l, create.server_error, message, code).to_string(),
                    );
                });
                platform::focus_id(field.id());
            }
            None => self.banner.set(Some(e)),
        }
    }
}

#[component]
pub fn CreatePage() -> impl IntoView {
    let config = use_config();
    let notices = use_notices();
    let just_created = expect_context::<JustCreated>().0;
    let navigate = use_navigate();
    let api = use_api();
    let scope = use_scope();
    let i18n = use_i18n();
    let feedback = FormFeedback::default();
    let cidr = Signal::derive(move || scope.cidr());
    // The user whose create ended without an answer and without a lookup,
    // with its email, for "Check again".
    let unresolved: RwSignal<Option<(String, String)>> = RwSignal::new(None);

    // A user known to exist: highlighted in the list of its instance, which
    // the page goes to.
    let created = move |(region, instance): (&str, &str), name: String, notice: String| {
        just_created.set(Some(name));
        notices.push(notice);
        navigate(
            &crate::shell::routes::Page::instance(region, instance).href(),
            crate::shell::after_submit(),
        );
    };
    let created_after_check = created;

    let create = Action::new_local(move |user: &NewClientUser| {
        let user = user.clone();
        let client = api.aliyun();
        let (r, i) = (scope.region.get_untracked(), scope.instance.get_untracked());
        let created = created;
        async move {
            let Some(client) = client else {
                feedback.busy.set(false);
                return;
            };
            let name = user.login_name().to_owned();
            unresolved.set(None);
            let client = client.on_lookup({
                let name = name.clone();
                move |e| {
                    let l = i18n.get_locale_untracked();
                    let error = text::call_error(l, e);
                    feedback.checking.set(true);
                    feedback.note.set(Some(
                        td_string!(l, create.checking_note, error, name = &name).to_string(),
                    ));
                }
            });
            let outcome = services::create_user(&client, &user.action(&r, &i)).await;
            feedback.checking.set(false);
            feedback.note.set(None);
            feedback.busy.set(false);
            let l = i18n.get_locale_untracked();
            match outcome {
                Mutation::Done(()) | Mutation::Confirmed(_) => {
                    let notice = if matches!(outcome, Mutation::Confirmed(_)) {
                        td_string!(l, create.created_confirmed, name = &name).to_string()
                    } else {
                        td_string!(l, create.created, name = &name, email = &user.email.0)
                            .to_string()
                    };
                    created((&r, &i), name, notice);
                }
                Mutation::Failed { error, checked } => {
                    if checked {
                        feedback
                            .note
                            .set(Some(td_string!(l, create.nothing_created).to_owned()));
                    }
                    feedback.service_error(l, error);
                }
                Mutation::Unknown { error, .. } => {
                    feedback.note.set(Some(
                        td_string!(l, create.unknown, name = &name).to_string(),
                    ));
                    feedback.uncertain.set(true);
                    feedback.banner.set(Some(error));
                    unresolved.set(Some((name, user.email.0.clone())));
                }
            }
        }
    });
    // "Check again": looks the user up; found means created.
    let checking = RwSignal::new(false);
    let check = move |(name, email): (String, String)| {
        // Without keys the connection guard shows Settings instead.
        let Some(client) = api.aliyun() else { return };
        let (r, i) = (scope.region.get_untracked(), scope.instance.get_untracked());
        let created = created_after_check;
        checking.set(true);
        leptos::task::spawn_local(async move {
            let found = services::find_user(&client, &r, &i, &name).await;
            checking.set(false);
            let l = i18n.get_locale_untracked();
            match found {
                Ok(Some(_)) => {
                    unresolved.set(None);
                    feedback.clear();
                    let notice =
                        td_string!(l, create.created_checked, name = &name, email).to_string();
                    created((&r, &i), name, notice);
                }
                Ok(None) => {
                    unresolved.set(None);
                    feedback.clear();
                    feedback.note.set(Some(
                        td_string!(l, create.not_created, name = &name).to_string(),
                    ));
                }
                Err(e) => {
                    feedback.note.set(Some(
                        td_string!(l, create.still_unknown, name = &name).to_string(),
                    ));
                    feedback.banner.set(Some(e));
                }
            }
        });
    };
    let submit = Callback::new(move |user: NewClientUser| {
        feedback.busy.set(true);
        create.dispatch(user);
    });

    view! {
        <h2>{tr(|l| td_string!(l, create.title))}</h2>
        <CreateUserForm
            cidr=cidr
            max_bandwidth=config.max_bandwidth_kbps
            feedback=feedback
            on_submit=submit
            on_copy_cli=Callback::new(move |user: NewClientUser| {
                let request = user.action(&scope.region.get_untracked(), &scope.instance.get_untracked());
                let as_listed = sag_api::smartag::ClientUser {
                    user_name: user.login_name().to_owned(),
                    user_mail: request.user_mail.clone(),
                    bandwidth: u64::from(request.bandwidth_kbps),
                    client_ip: request.client_ip.clone(),
                    is_static_ip: request.client_ip.is_some(),
                    ..Default::default()
                };
                let line = super::export::cli_create(&request.region_id, &request.smart_ag_id, &as_listed, request.credentials.is_some());
                leptos::task::spawn_local(async move {
                    if platform::copy_text(&line).await {
                        notices.push(td_string!(i18n.get_locale_untracked(), create.copied_cli));
                    }
                });
            })
        />
        {move || { let check = check; unresolved.get().map(move |pending| view! {
            <div class="actions">
                <button type="button" class="secondary" id="check-again" disabled=move || checking.get() on:click=move |_| check(pending.clone())>
                    {move || if checking.get() { t_string!(i18n, create.checking_list) } else { t_string!(i18n, create.check_again) }}
                </button>
            </div>
        })}}
    }
}

/// The form itself. It validates and builds the typed request; the page
/// sends it and reports back through `feedback`.
#[component]
pub fn CreateUserForm(
    /// The instance's client CIDR, once known.
    #[prop(into)]
    cidr: Signal<Option<String>>,
    max_bandwidth: u32,
    feedback: FormFeedback,
    on_submit: Callback<NewClientUser>,
    /// Copies the `aliyun` CLI line for the valid request (no password).
    #[prop(optional)]
    on_copy_cli: Option<Callback<NewClientUser>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = FormState::new(CreateForm::default(), feedback.field_errors);
    let form = state.values;
    let show_password = RwSignal::new(false);
    let ctx = Memo::new(move |_| FormContext {
        max_bandwidth,
        cidr: cidr.get().as_deref().and_then(validate::parse_cidr),
    });
    // Read in the chosen language, so a switch re-words a shown message.
    let error_for = move |field: FormField| {
        state.error(field, move |f, field| {
            f.error(field, &ctx.get())
                .map(|e| text::invalid(i18n.get_locale(), &e.0))
        })
    };
    let value_of = move |get: fn(&CreateForm) -> String| state.value(get);
    // The pair rule spans username and password.
    const PAIR: &[FormField] = &[FormField::UserName, FormField::Password];
    let setter =
        move |field: FormField, set: fn(&mut CreateForm, String)| state.setter(field, set, PAIR);
    let blur = move |field: FormField| state.blur(field);
    let server_errors = state.server_errors;

    let submit = move || {
        if feedback.busy.get_untracked() {
            return;
        }
        state.submitted.set(true);
        feedback.clear();
        match form.get_untracked().to_request(&ctx.get_untracked()) {
            Ok(request) => on_submit.run(request),
            Err(errors) => {
                if let Some(first) = errors.keys().next() {
                    platform::focus_id(first.id());
                }
            }
        }
    };

    let l = validate::LIMITS;
    let bandwidth_hint = Signal::derive(move || {
        t_string!(
            i18n,
            create.bandwidth_hint,
            max = max_bandwidth,
            default = l.bandwidth_default
        )
        .to_string()
    });
    let ip_hint = Signal::derive(move || match cidr.get() {
        Some(cidr) => t_string!(i18n, create.ip_hint_cidr, cidr).to_string(),
        None => t_string!(i18n, create.ip_hint).to_string(),
    });

    let busy = feedback.busy;
    let note = feedback.note;
    let banner = feedback.banner;

    view! {
            <form id="create-form" class="form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <TextField
                    id=FormField::Email.id() label=tr(|l| td_string!(l, create.email)) kind="email" autocomplete="email"
                    hint=Signal::derive(move || t_string!(i18n, create.email_hint, max = l.email_max).to_string())
                    value=value_of(|f| f.email.clone())
                    on_input=setter(FormField::Email, |f, v| f.email = v)
                    on_blur=blur(FormField::Email)
                    error=error_for(FormField::Email)
                />
                <TextField
                    id=FormField::Bandwidth.id() label=tr(|l| td_string!(l, create.bandwidth)) kind="text"
                    hint=bandwidth_hint
                    value=value_of(|f| f.bandwidth.clone())
                    on_input=setter(FormField::Bandwidth, |f, v| f.bandwidth = v)
                    on_blur=blur(FormField::Bandwidth)
                    error=error_for(FormField::Bandwidth)
                />
                <fieldset>
                    <legend>{tr(|l| td_string!(l, create.login))}</legend>
                    <TextField
                        id=FormField::UserName.id() label=tr(|l| td_string!(l, create.user_name)) kind="text" autocomplete="off"
                        hint=Signal::derive(move || t_string!(i18n, create.user_name_hint, min = l.user_name_min, max = l.user_name_max).to_string())
                        value=value_of(|f| f.user_name.clone())
                        on_input=setter(FormField::UserName, |f, v| f.user_name = v)
                        on_blur=blur(FormField::UserName)
                        error=error_for(FormField::UserName)
                    />
                    <TextField
                        id=FormField::Password.id() label=tr(|l| td_string!(l, create.password)) autocomplete="new-password"
                        kind=Signal::derive(move || if show_password.get() { "text".to_owned() } else { "password".to_owned() })
                        hint=Signal::derive(move || t_string!(i18n, create.password_hint, min = l.password_min, max = l.password_max).to_string())
                        value=value_of(|f| f.password.clone())
                        on_input=setter(FormField::Password, |f, v| f.password = v)
                        on_blur=blur(FormField::Password)
                        error=error_for(FormField::Password)
                    >
                        <button type="button" class="secondary" id="toggle-password" aria-pressed=move || show_password.get().to_string() on:click=move |_| show_password.update(|s| *s = !*s)>
                            {move || if show_password.get() { t_string!(i18n, create.hide) } else { t_string!(i18n, create.show) }}
                        </button>
                        <button type="button" class="secondary" id="generate-password" on:click=move |_| {
                            let generated = validate::generate_password(platform::random16());
                            form.update(|f| f.password = generated.0.expose().to_owned());
                            server_errors.update(|m| { m.remove(&FormField::Password); });
                            show_password.set(true);
                        }>{tr(|l| td_string!(l, create.generate))}</button>
                    </TextField>
                </fieldset>
                <TextField
                    id=FormField::ClientIp.id() label=tr(|l| td_string!(l, create.ip)) kind="text"
                    hint=ip_hint
                    value=value_of(|f| f.client_ip.clone())
                    on_input=setter(FormField::ClientIp, |f, v| f.client_ip = v)
                    on_blur=blur(FormField::ClientIp)
                    error=error_for(FormField::ClientIp)
                />
                <div id="create-result" aria-live="polite">
                    {move || note.get().map(|n| view! { <p class="warning">{n}</p> })}
                    {move || banner.get().map(|e| {
                        let context = if feedback.uncertain.get() { t_string!(i18n, create.context_unknown) } else { t_string!(i18n, create.context_failed) };
                        view! { <ErrorPanel error=e context=context /> }
                    })}
                </div>
                <div class="actions">
                    <button type="submit" class="primary" id="create-submit" disabled=move || busy.get()>
                        {move || match (busy.get(), feedback.checking.get()) {
                            (true, true) => t_string!(i18n, create.checking),
                            (true, false) => t_string!(i18n, create.creating),
                            _ => t_string!(i18n, create.submit),
                        }}
                    </button>
                    {on_copy_cli.map(|copy| view! {
                        <button type="button" class="secondary" id="create-copy-cli" title=tr(|l| td_string!(l, create.copy_cli_title)) on:click=move |_| {
                            state.submitted.set(true);
                            if let Ok(request) = form.get_untracked().to_request(&ctx.get_untracked()) {
                                copy.run(request);
                            }
                        }>{tr(|l| td_string!(l, create.copy_cli))}</button>
                    })}
                </div>
            </form>
    }
}
