//! The create-user page and form: validated as the admin types (once a
//! field was visited) and on submit by the api crate's validators; the
//! create runs through the operation layer (`use_mutation` over the
//! `create_user` service and its `find_user` lookup); service errors land on
//! their field; every value survives any failure.

use std::collections::HashMap;

use crate::shell::router::use_navigate;
use leptos::prelude::*;
use sag_api::smartag::NewClientUser;
use sag_api::{validate, Vendor};

use super::create_form::{CreateForm, FormContext, FormField};
use super::scope::use_scope;
use super::services;
use super::users::JustCreated;
use crate::i18n::{t_string, td_string, use_i18n, Locale};
use crate::plumbing::{platform, CallError, Mutation};
use crate::shell::field::TextField;
use crate::shell::form::{FieldMessages, FormState};
use crate::shell::language::tr;
use crate::shell::notices::use_notices;
use crate::shell::operation::{
    self, use_mutation, CheckAgain, Done, Mutate, OpWords, Operation, OperationStatus, Shown,
    Status,
};
use crate::shell::use_config;
use crate::text;

/// The create's words, for the operation layer.
pub static WORDS: OpWords = OpWords {
    checking: |l, error, name| td_string!(l, create.checking_note, error, name).to_string(),
    nothing_done: Some(|l| td_string!(l, create.nothing_created)),
    unknown: Some(|l, name| td_string!(l, create.unknown, name).to_string()),
    absent: |l, name| td_string!(l, create.not_created, name).to_string(),
    still_unknown: |l, name| td_string!(l, create.still_unknown, name).to_string(),
    failed: |l| td_string!(l, create.context_failed),
    failed_checked: |l| td_string!(l, create.context_failed),
    unknown_context: |l| td_string!(l, create.context_unknown),
};

/// What the form shows of a submit's outcome: the service's messages under
/// their fields, and the operation's status (note, banner).
#[derive(Clone, Copy)]
pub struct FormFeedback {
    pub field_errors: FieldMessages,
    pub status: RwSignal<Status>,
    /// The create is running.
    pub busy: Signal<bool>,
    /// Its answer was lost and the list is being checked.
    pub checking: Signal<bool>,
    /// How the status is worded (the operation's words).
    pub words: &'static OpWords,
}

impl Default for FormFeedback {
    /// Feedback of a form shown alone (the browser tests).
    fn default() -> Self {
        FormFeedback {
            field_errors: RwSignal::new(HashMap::new()),
            status: RwSignal::new(Status::default()),
            busy: Signal::stored(false),
            checking: Signal::stored(false),
            words: &WORDS,
        }
    }
}

impl FormFeedback {
    fn of<I: 'static>(op: Operation<I>, field_errors: FieldMessages) -> Self {
        FormFeedback {
            field_errors,
            status: op.status,
            busy: op.pending,
            checking: op.checking.into(),
            words: op.words,
        }
    }

    fn clear(&self) {
        self.field_errors.set(HashMap::new());
        self.status.set(Status::default());
    }

    /// A refusal, shown as the operation layer shows it: under its field
    /// (which gets focus), or in the banner.
    pub fn service_error(&self, l: Locale, e: CallError) {
        let shown = operation::shown(
            &Mutation::<()>::Failed {
                error: e,
                checked: false,
            },
            FormField::for_error,
        );
        self.status.set(Status::after("", &shown));
        if let Shown::Field { field, error, .. } = shown {
            put_under(self.field_errors, field, text::with_code(l, &error));
        }
    }
}

/// A service's message under `field`, which gets focus.
fn put_under(errors: FieldMessages, field: FormField, message: String) {
    errors.update(|m| {
        m.insert(field.id(), message);
    });
    platform::focus_id(field.id());
}

#[component]
pub fn CreatePage() -> impl IntoView {
    let config = use_config();
    let notices = use_notices();
    let just_created = expect_context::<JustCreated>().0;
    let navigate = use_navigate();
    let scope = use_scope();
    let i18n = use_i18n();
    let field_errors = RwSignal::new(HashMap::new());
    let cidr = Signal::derive(move || scope.cidr());
    let place = move || (scope.region.get_untracked(), scope.instance.get_untracked());

    let create = use_mutation(Mutate {
        vendor: Vendor::Aliyun,
        words: &WORDS,
        name: |user: &NewClientUser| user.login_name().to_owned(),
        send: move |client, user: NewClientUser| {
            let (r, i) = place();
            async move { services::create_user(&client, &user.action(&r, &i)).await }
        },
        look: Some(move |client, user: NewClientUser| {
            let (r, i) = place();
            async move {
                services::find_user(&client, &r, &i, user.login_name())
                    .await
                    .map(|u| u.is_some())
            }
        }),
        field_of: FormField::for_error,
        on_field: move |field, message| put_under(field_errors, field, message),
        // A user known to exist: highlighted in the list of its instance,
        // which the page goes to.
        on_done: move |user: NewClientUser, how: Done<()>| {
            let l = i18n.get_locale_untracked();
            let (name, email) = (user.login_name(), &user.email.0);
            let notice = match how {
                Done::Answered(()) => td_string!(l, create.created, name, email).to_string(),
                Done::Confirmed => td_string!(l, create.created_confirmed, name).to_string(),
                Done::FoundOnCheck => {
                    td_string!(l, create.created_checked, name, email).to_string()
                }
            };
            just_created.set(Some(name.to_owned()));
            notices.push(notice);
            let (r, i) = place();
            navigate(
                &crate::shell::routes::Page::instance(&r, &i).href(),
                crate::shell::after_submit(),
            );
        },
    });
    let feedback = FormFeedback::of(create, field_errors);

    view! {
        <h2>{tr(|l| td_string!(l, create.title))}</h2>
        <CreateUserForm
            cidr=cidr
            max_bandwidth=config.max_bandwidth_kbps
            feedback=feedback
            on_submit=Callback::new(move |user| create.dispatch(user))
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
        <div class="actions">
            <CheckAgain op=create.again id="check-again" label=|l| td_string!(l, create.check_again) busy_label=|l| td_string!(l, create.checking_list) />
        </div>
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
    let state = FormState::sharing(CreateForm::default(), feedback.field_errors, FormField::id);
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
        feedback.clear();
        let ctx = ctx.get_untracked();
        if let Some(request) =
            state.submit(|f| f.to_request(&ctx).map_err(|e| e.keys().next().copied()))
        {
            on_submit.run(request);
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
                            server_errors.update(|m| { m.remove(FormField::Password.id()); });
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
                    <OperationStatus status=feedback.status words=feedback.words />
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
