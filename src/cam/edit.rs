//! Changing a CAM sub-user (`UpdateUser`): remark, console login (a password
//! is asked for when it is switched on), phone with its country code, email;
//! checked with the same rules as the add form, only changed fields sent.

use crate::i18n::{t_string, td_string, use_i18n, Locale};
use crate::shell::language::tr;
use leptos::prelude::*;
use sag_api::cam::{UpdateUser, UserDetail};
use sag_api::{validate, Vendor};

use super::services;
use crate::shell::field::TextField;
use crate::shell::form::FormState;
use crate::shell::operation::{use_mutation, Mutate, NoLook, OpWords, OperationStatus};

/// What the form holds, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditForm {
    pub remark: String,
    pub console_login: bool,
    pub password: String,
    pub country_code: String,
    pub phone: String,
    pub email: String,
}

impl EditForm {
    pub fn of(u: &UserDetail) -> EditForm {
        EditForm {
            remark: u.remark.clone().unwrap_or_default(),
            console_login: u.console_login != 0,
            password: String::new(),
            country_code: u.country_code.clone().unwrap_or_default(),
            phone: u.phone_num.clone().unwrap_or_default(),
            email: u.email.clone().unwrap_or_default(),
        }
    }

    /// The request with only what changed from `was`, or the problems by
    /// field id. `None`: nothing changed.
    pub fn to_request(
        &self,
        name: &str,
        was: &EditForm,
    ) -> Result<Option<UpdateUser>, Vec<(&'static str, validate::Invalid)>> {
        let mut problems = Vec::new();
        let mut request = UpdateUser {
            name: name.into(),
            ..Default::default()
        };
        if self.remark.trim() != was.remark.trim() {
            match validate::cam_remark(&self.remark) {
                Ok(r) => request.remark = Some(r),
                Err(e) => problems.push(("cam-edit-remark", e)),
            }
        }
        if self.console_login != was.console_login {
            request.console_login = Some(self.console_login);
            if self.console_login {
                match validate::cam_password(&self.password) {
                    Ok(p) => request.password = Some(p.0),
                    Err(e) => problems.push(("cam-edit-password", e)),
                }
            }
        }
        let phone_changed = (self.country_code.trim(), self.phone.trim())
            != (was.country_code.trim(), was.phone.trim());
        if phone_changed {
            if self.phone.trim().is_empty() && self.country_code.trim().is_empty() {
                request.phone_num = Some(String::new());
                request.country_code = Some(String::new());
            } else {
                match validate::cam_phone(&self.country_code, &self.phone) {
                    Ok(p) => {
                        request.phone_num = Some(p.number);
                        request.country_code = Some(p.country_code);
                    }
                    Err(e) => problems.push(("cam-edit-phone", e)),
                }
            }
        }
        if self.email.trim() != was.email.trim() {
            if self.email.trim().is_empty() {
                request.email = Some(String::new());
            } else {
                match validate::cam_form_email(&self.email) {
                    Ok(e) => request.email = Some(e.0),
                    Err(e) => problems.push(("cam-edit-email", e)),
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let changed = request.remark.is_some()
            || request.console_login.is_some()
            || request.phone_num.is_some()
            || request.email.is_some();
        Ok(changed.then_some(request))
    }
}

/// The edit's words: no **Check again** (reloading the page shows the
/// sub-user as it is).
static WORDS: OpWords = OpWords {
    checking: |l, _, _| td_string!(l, cam_edit.checking).to_owned(),
    nothing_done: None,
    unknown: None,
    absent: |l, _| td_string!(l, cam_edit.unchanged_checked).to_owned(),
    still_unknown: |l, _| td_string!(l, cam_edit.unknown).to_owned(),
    failed: |l| td_string!(l, edit.unchanged),
    failed_checked: |l| td_string!(l, cam_edit.unchanged_checked),
    unknown_context: |l| td_string!(l, cam_edit.unknown),
};

/// The edit form for `user`; `on_saved` runs once the change is in place.
#[component]
pub fn CamEditForm(
    user: UserDetail,
    on_saved: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let name = StoredValue::new(user.name.clone());
    let was = StoredValue::new(EditForm::of(&user));
    // Fields are named by their element ids, as `to_request` names them.
    let state = FormState::new(EditForm::of(&user), |id: &'static str| id);
    let form = state.values;
    let i18n = use_i18n();
    // "Nothing changed", as a function of the language (a switch re-words it).
    let note = RwSignal::new(None::<fn(Locale) -> &'static str>);
    let save = use_mutation(Mutate {
        vendor: Vendor::Tencent,
        words: &WORDS,
        name: |request: &UpdateUser| request.name.clone(),
        send: |client, request: UpdateUser| async move {
            services::update_user(&client, &request).await
        },
        look: None::<NoLook<_>>,
        // Tencent names no field of UpdateUser's errors: all in the banner.
        field_of: |_| None::<&'static str>,
        on_field: move |id, message| state.refused(id, message),
        on_done: move |_, _| on_saved.run(()),
    });
    let busy = save.pending;
    // A field's problem, checked as a submit checks it (only what changed).
    let error_of = move |id: &'static str| {
        state.error(id, move |f: &EditForm, id| {
            let problems = f.to_request(&name.get_value(), &was.get_value()).err()?;
            let (_, problem) = problems.into_iter().find(|(f, _)| *f == id)?;
            Some(crate::text::invalid(i18n.get_locale(), &problem.0))
        })
    };
    let submit = move || {
        if busy.get_untracked() {
            return;
        }
        save.clear();
        note.set(None);
        let checked = state.submit(|f| {
            f.to_request(&name.get_value(), &was.get_value())
                .map_err(|problems| problems.first().map(|(id, _)| *id))
        });
        match checked {
            Some(Some(request)) => save.dispatch(request),
            Some(None) => note.set(Some(|l| td_string!(l, edit.unchanged))),
            None => {}
        }
    };
    let text = move |get: fn(&EditForm) -> String| state.value(get);
    let set = move |id: &'static str, put: fn(&mut EditForm, String)| state.setter(id, put, &[]);
    let blur = move |id: &'static str| state.blur(id);
    let turning_on = move || form.with(|f| f.console_login) && !was.with_value(|w| w.console_login);

    view! {
        <form id="cam-edit-form" class="form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <TextField id="cam-edit-remark" label=tr(|l| td_string!(l, cam.col_remark)) kind="text" hint=tr(|l| td_string!(l, cam_edit.remark_hint))
                value=text(|f| f.remark.clone()) on_input=set("cam-edit-remark", |f, v| f.remark = v) on_blur=blur("cam-edit-remark") error=error_of("cam-edit-remark") />
            <label class="check"><input type="checkbox" id="cam-edit-console-login"
                prop:checked=move || form.with(|f| f.console_login)
                on:change:target=move |ev| form.update(|f| f.console_login = ev.target().checked()) />
                " "{tr(|l| td_string!(l, cam_add.console_login))}</label>
            {move || turning_on().then(|| view! {
                <TextField id="cam-edit-password" label=tr(|l| td_string!(l, cam_add.password)) kind="password" autocomplete="new-password"
                    hint=tr(|l| td_string!(l, cam_edit.password_hint))
                    value=text(|f| f.password.clone()) on_input=set("cam-edit-password", |f, v| f.password = v) on_blur=blur("cam-edit-password") error=error_of("cam-edit-password") />
            })}
            <TextField id="cam-edit-country-code" label=tr(|l| td_string!(l, cam_add.country_code)) kind="tel" hint=tr(|l| td_string!(l, cam_edit.country_code_hint))
                value=text(|f| f.country_code.clone()) on_input=set("cam-edit-country-code", |f, v| f.country_code = v) on_blur=blur("cam-edit-phone") error=Signal::derive(|| None::<String>) />
            <TextField id="cam-edit-phone" label=tr(|l| td_string!(l, cam.col_phone)) kind="tel" hint=tr(|l| td_string!(l, cam_edit.phone_hint))
                value=text(|f| f.phone.clone()) on_input=set("cam-edit-phone", |f, v| f.phone = v) on_blur=blur("cam-edit-phone") error=error_of("cam-edit-phone") />
            <TextField id="cam-edit-email" label=tr(|l| td_string!(l, create.email)) kind="email" hint=tr(|l| td_string!(l, cam_edit.email_hint))
                value=text(|f| f.email.clone()) on_input=set("cam-edit-email", |f, v| f.email = v) on_blur=blur("cam-edit-email") error=error_of("cam-edit-email") />
            <div id="cam-edit-result" aria-live="polite">
                {move || note.get().map(|n| view! { <p class="warning">{n(i18n.get_locale())}</p> })}
                <OperationStatus status=save.status words=save.words />
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="cam-edit-save" disabled=move || busy.get()>
                    {move || if busy.get() { t_string!(i18n, edit.saving) } else { t_string!(i18n, cam_edit.save) }}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>{tr(|l| td_string!(l, online.cancel))}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn was() -> EditForm {
        EditForm {
            remark: "Ops".into(),
            console_login: false,
            password: String::new(),
            country_code: "86".into(),
            phone: "13800138000".into(),
            email: "a@example.com".into(),
        }
    }

    #[test]
    fn only_what_changed_is_sent_and_checked_with_the_add_rules() {
        let base = was();
        assert_eq!(base.to_request("u", &base), Ok(None));
        let mut f = was();
        f.remark = "Operations lead".into();
        let r = f.to_request("u", &base).unwrap().unwrap();
        assert_eq!(r.remark.as_deref(), Some("Operations lead"));
        assert!(r.email.is_none() && r.phone_num.is_none() && r.console_login.is_none());

        // Console login on needs a valid password.
        let mut f = was();
        f.console_login = true;
        let problems = f.to_request("u", &base).unwrap_err();
        assert_eq!(problems[0].0, "cam-edit-password");
        f.password = "Passw0rd!2024".into();
        let r = f.to_request("u", &base).unwrap().unwrap();
        assert_eq!(r.console_login, Some(true));
        assert!(r.password.is_some());

        // Phone and email: checked, or removed when emptied.
        let mut f = was();
        f.phone = "12ab".into();
        f.email = "not-an-email".into();
        let ids: Vec<&str> = f
            .to_request("u", &base)
            .unwrap_err()
            .iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(ids, ["cam-edit-phone", "cam-edit-email"]);
        let mut f = was();
        f.phone.clear();
        f.country_code.clear();
        f.email.clear();
        let r = f.to_request("u", &base).unwrap().unwrap();
        assert_eq!(
            (r.phone_num.as_deref(), r.email.as_deref()),
            (Some(""), Some(""))
        );
        let mut f = was();
        f.country_code = "+1".into();
        f.phone = "415-555 0100".into();
        let r = f.to_request("u", &base).unwrap().unwrap();
        assert_eq!(
            (r.country_code.as_deref(), r.phone_num.as_deref()),
            (Some("1"), Some("4155550100"))
        );
    }
}
