//! The create-user form's logic, kept out of the view: every field checked by
//! the api crate's validators, the order in which fields are focused, and
//! which field a service error belongs to.

use std::collections::BTreeMap;

use ipnet::Ipv4Net;
use sag_api::smartag::NewClientUser;
use sag_api::validate;
use sag_api::{ApiError, Field};

/// A field of the form, in the order it is shown (and focused on error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FormField {
    Email,
    Bandwidth,
    UserName,
    Password,
    ClientIp,
}

impl FormField {
    pub const ALL: [FormField; 5] = [
        FormField::Email,
        FormField::Bandwidth,
        FormField::UserName,
        FormField::Password,
        FormField::ClientIp,
    ];

    /// The element id of the field's input.
    pub fn id(self) -> &'static str {
        match self {
            FormField::Email => "create-email",
            FormField::Bandwidth => "create-bandwidth",
            FormField::UserName => "create-username",
            FormField::Password => "create-password",
            FormField::ClientIp => "create-ip",
        }
    }

    /// The field a service error belongs to (`ClientUser.UserExist` on the
    /// username, `ClientUser.IpInvalid` on the IP, ...).
    pub fn for_error(error: &ApiError) -> Option<FormField> {
        match error.field()? {
            Field::Email => Some(FormField::Email),
            Field::Bandwidth => Some(FormField::Bandwidth),
            Field::UserName => Some(FormField::UserName),
            Field::Password => Some(FormField::Password),
            Field::ClientIp => Some(FormField::ClientIp),
            _ => None,
        }
    }
}

/// What the admin typed, exactly (nothing is lost on a failed submit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateForm {
    pub email: String,
    pub bandwidth: String,
    pub user_name: String,
    pub password: String,
    pub client_ip: String,
}

impl Default for CreateForm {
    fn default() -> Self {
        CreateForm {
            email: String::new(),
            bandwidth: validate::LIMITS.bandwidth_default.to_string(),
            user_name: String::new(),
            password: String::new(),
            client_ip: String::new(),
        }
    }
}

/// What the checks need to know about the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormContext {
    pub max_bandwidth: u32,
    pub cidr: Option<Ipv4Net>,
}

/// Each field's problem; the view says it in the admin's language.
pub type FieldErrors = BTreeMap<FormField, validate::Invalid>;

impl CreateForm {
    /// The message for one field, or `None` if it is fine.
    pub fn error(&self, field: FormField, ctx: &FormContext) -> Option<validate::Invalid> {
        match field {
            FormField::Email => validate::email(&self.email).err(),
            FormField::Bandwidth => validate::bandwidth(&self.bandwidth, ctx.max_bandwidth).err(),
            FormField::UserName => validate::credentials(&self.user_name, &self.password)
                .err()
                .and_then(|e| e.user_name),
            FormField::Password => validate::credentials(&self.user_name, &self.password)
                .err()
                .and_then(|e| e.password),
            FormField::ClientIp => {
                validate::optional_client_ip(&self.client_ip, ctx.cidr.as_ref()).err()
            }
        }
    }

    pub fn errors(&self, ctx: &FormContext) -> FieldErrors {
        // Inserted one by one: a `collect` would bring a sort of its own.
        let mut errors = FieldErrors::new();
        for f in FormField::ALL {
            if let Some(m) = self.error(f, ctx) {
                errors.insert(f, m);
            }
        }
        errors
    }

    /// The typed request, or every field's error (the first in form order is focused).
    pub fn to_request(&self, ctx: &FormContext) -> Result<NewClientUser, FieldErrors> {
        let email = validate::email(&self.email);
        let bandwidth = validate::bandwidth(&self.bandwidth, ctx.max_bandwidth);
        let login = validate::credentials(&self.user_name, &self.password);
        let ip = validate::optional_client_ip(&self.client_ip, ctx.cidr.as_ref());
        match (email, bandwidth, login, ip) {
            (Ok(email), Ok(bandwidth), Ok(login), Ok(ip)) => Ok(NewClientUser {
                email,
                bandwidth,
                login,
                client_ip: ip.map(|i| i.0),
            }),
            _ => Err(self.errors(ctx)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sag_api::error::{ServiceError, Vendor};

    fn ctx() -> FormContext {
        FormContext {
            max_bandwidth: 2000,
            cidr: validate::parse_cidr("10.10.0.0/20"),
        }
    }

    fn valid() -> CreateForm {
        CreateForm {
            email: "new@example.com".into(),
            ..CreateForm::default()
        }
    }

    #[test]
    fn defaults_to_2000_kbps_and_needs_only_an_email() {
        let request = valid().to_request(&ctx()).unwrap();
        assert_eq!(
            (
                request.bandwidth.0,
                request.login.is_none(),
                request.client_ip
            ),
            (2000, true, None)
        );
        assert_eq!(request.login_name(), "new@example.com");
        let errors = CreateForm::default().to_request(&ctx()).unwrap_err();
        assert_eq!(
            errors.keys().copied().collect::<Vec<_>>(),
            [FormField::Email]
        );
    }

    #[test]
    fn every_field_reports_in_form_order() {
        let form = CreateForm {
            email: "nope".into(),
            bandwidth: "3000".into(),
            user_name: "al".into(),
            password: String::new(),
            client_ip: "10.20.0.1".into(),
        };
        let errors = form.errors(&ctx());
        assert_eq!(errors.keys().copied().collect::<Vec<_>>(), FormField::ALL);
        assert!(errors[&FormField::Bandwidth]
            .to_string()
            .contains("at most 2000"));
        assert!(errors[&FormField::Password]
            .to_string()
            .contains("go together"));
        assert!(errors[&FormField::ClientIp]
            .to_string()
            .contains("10.10.0.0/20"));
    }

    #[test]
    fn a_complete_form_becomes_the_typed_request() {
        let form = CreateForm {
            email: " a@example.com ".into(),
            bandwidth: "512".into(),
            user_name: "alice.w01".into(),
            password: "Passw0rd_1".into(),
            client_ip: "10.10.3.3".into(),
        };
        let r = form.to_request(&ctx()).unwrap();
        assert_eq!(r.email.0, "a@example.com");
        assert_eq!(r.bandwidth.0, 512);
        assert_eq!(r.login_name(), "alice.w01");
        assert_eq!(r.client_ip, Some(std::net::Ipv4Addr::new(10, 10, 3, 3)));
        let action = r.action("cn-shanghai", "sag-1");
        assert_eq!(action.client_ip.as_deref(), Some("10.10.3.3"));
        assert_eq!(action.login_name(), "alice.w01");
        assert_eq!(action.smart_ag_id, "sag-1");
    }

    #[test]
    fn service_errors_land_on_their_fields() {
        let error = |code: &str| {
            ApiError::Service(Box::new(ServiceError {
                vendor: Vendor::Aliyun,
                code: code.into(),
                message: String::new(),
                request_id: Some("R".into()),
                http_status: 400,
                host_id: None,
                our_string_to_sign: None,
                our_canonical_request: None,
            }))
        };
        assert_eq!(
            FormField::for_error(&error("ClientUser.UserExist")),
            Some(FormField::UserName)
        );
        assert_eq!(
            FormField::for_error(&error("ClientUser.IpInvalid")),
            Some(FormField::ClientIp)
        );
        assert_eq!(
            FormField::for_error(&error("ClientUser.EmailInvalid")),
            Some(FormField::Email)
        );
        assert_eq!(
            FormField::for_error(&error("ClientUser.BandwidthInvalid")),
            Some(FormField::Bandwidth)
        );
        assert_eq!(
            FormField::for_error(&error("ClientUser.PasswordInvalid")),
            Some(FormField::Password)
        );
        assert_eq!(
            FormField::for_error(&error("ClientUser.UserOverLimit")),
            None
        );
        assert_eq!(
            FormField::for_error(&error("SignatureDoesNotMatch")),
            None,
            "the secret is not on this form"
        );
        assert_eq!(
            FormField::for_error(&ApiError::Timeout { after_ms: 1 }),
            None
        );
    }
}
