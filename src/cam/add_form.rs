//! The add-sub-user form's logic, kept out of the view: what the admin typed,
//! the checks Tencent documents (and no more), the typed `AddUser` it turns
//! into, the one-time credentials CSV, and which field a service error
//! belongs to.

use crate::i18n::{td_string, Locale};
use std::collections::BTreeMap;

use sag_api::cam::{AddUser, AddedUser};
use sag_api::{validate, ApiError, Field};

/// A field of the form, in the order it is shown (and focused on error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CamField {
    Name,
    Remark,
    Password,
    CountryCode,
    Phone,
    Email,
}

impl CamField {
    pub const ALL: [CamField; 6] = [
        CamField::Name,
        CamField::Remark,
        CamField::Password,
        CamField::CountryCode,
        CamField::Phone,
        CamField::Email,
    ];

    /// The element id of the field's input.
    pub fn id(self) -> &'static str {
        match self {
            CamField::Name => "cam-name",
            CamField::Remark => "cam-remark",
            CamField::Password => "cam-password",
            CamField::CountryCode => "cam-country-code",
            CamField::Phone => "cam-phone",
            CamField::Email => "cam-email",
        }
    }

    /// The `AddUser` parameter the field fills.
    fn parameter(self) -> &'static str {
        match self {
            CamField::Name => "Name",
            CamField::Remark => "Remark",
            CamField::Password => "Password",
            CamField::CountryCode => "CountryCode",
            CamField::Phone => "PhoneNum",
            CamField::Email => "Email",
        }
    }

    /// The field a service error belongs to: by its code
    /// (`SubUserNameInUse` and `UserNameIllegal` on the name,
    /// `PasswordViolatedRules` on the password), or, for a `ParamError`, by
    /// the parameter its message names.
    pub fn for_error(error: &ApiError) -> Option<CamField> {
        match error.field() {
            Some(Field::CamName) => return Some(CamField::Name),
            Some(Field::CamPassword) => return Some(CamField::Password),
            Some(Field::CamPhone) => return Some(CamField::Phone),
            Some(Field::CamEmail) => return Some(CamField::Email),
            Some(Field::CamRemark) => return Some(CamField::Remark),
            _ => {}
        }
        let service = error.service()?;
        if !service.code.starts_with("InvalidParameter") {
            return None;
        }
        // The parameter named first in the message, as a whole word.
        let message = service.message.as_str();
        let named = |field: &CamField| {
            let word = field.parameter();
            message.match_indices(word).find_map(|(at, _)| {
                let before = message[..at].chars().next_back();
                let after = message[at + word.len()..].chars().next();
                let boundary = |c: Option<char>| !c.is_some_and(|c| c.is_ascii_alphanumeric());
                (boundary(before) && boundary(after)).then_some(at)
            })
        };
        CamField::ALL
            .iter()
            .filter_map(|f| named(f).map(|at| (at, *f)))
            .min()
            .map(|(_, f)| f)
    }
}

/// What the admin typed, exactly (nothing is lost on a failed submit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddForm {
    pub name: String,
    pub remark: String,
    pub console_login: bool,
    /// Empty: the service generates one (when console login is on).
    pub password: String,
    pub need_reset_password: bool,
    pub use_api: bool,
    pub country_code: String,
    pub phone: String,
    pub email: String,
}

impl Default for AddForm {
    fn default() -> Self {
        AddForm {
            name: String::new(),
            remark: String::new(),
            console_login: true,
            password: String::new(),
            need_reset_password: true,
            use_api: false,
            country_code: "86".into(),
            phone: String::new(),
            email: String::new(),
        }
    }
}

pub type CamFieldErrors = BTreeMap<CamField, String>;

impl AddForm {
    /// The message for one field, or `None` if it is fine.
    pub fn error(&self, field: CamField, l: Locale) -> Option<String> {
        let message =
            |r: Result<(), validate::Invalid>| r.err().map(|e| crate::text::invalid(l, &e.0));
        match field {
            CamField::Name => message(validate::cam_form_name(&self.name).map(drop)),
            // The same limit as the edit form (`validate::cam_remark`), so
            // that a remark too long is refused in words before it is sent
            // rather than by Tencent as "a parameter is not valid".
            CamField::Remark => message(validate::cam_remark(&self.remark).map(drop)),
            CamField::Password if self.console_login && !self.password.is_empty() => {
                message(validate::cam_form_password(&self.password).map(drop))
            }
            CamField::Password => None,
            // The pair is checked once; the message goes under the field at fault.
            CamField::CountryCode | CamField::Phone => {
                if self.phone.trim().is_empty() {
                    return None;
                }
                let e = validate::cam_phone(&self.country_code, &self.phone).err()?;
                let on_code = e.0 == validate::Problem::PhoneCode;
                ((field == CamField::CountryCode) == on_code).then(|| crate::text::invalid(l, &e.0))
            }
            CamField::Email if self.email.trim().is_empty() => None,
            CamField::Email => message(validate::cam_form_email(&self.email).map(drop)),
        }
    }

    pub fn errors(&self) -> CamFieldErrors {
        // Inserted one by one: a `collect` would bring a sort of its own.
        let mut errors = CamFieldErrors::new();
        for f in CamField::ALL {
            if let Some(m) = self.error(f, Locale::en) {
                errors.insert(f, m);
            }
        }
        errors
    }

    /// Advice under the password: what it lacks for Tencent's default rule.
    pub fn password_advice(&self, l: Locale) -> Option<String> {
        if !self.console_login || self.password.chars().count() < 8 {
            return None;
        }
        let gaps = validate::cam_default_rule_gaps(&self.password);
        (!gaps.is_empty()).then(|| {
            let missing = crate::text::gaps(l, &gaps);
            td_string!(l, cam_add.rule_advice, missing).to_string()
        })
    }

    /// The typed request, or every field's error (the first in form order is focused).
    pub fn to_request(&self) -> Result<AddUser, CamFieldErrors> {
        let errors = self.errors();
        let name = validate::cam_form_name(&self.name);
        let (Ok(name), true) = (name, errors.is_empty()) else {
            return Err(errors);
        };
        let optional = |s: &str| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_owned())
        };
        let phone = optional(&self.phone)
            .and_then(|_| validate::cam_phone(&self.country_code, &self.phone).ok());
        let password = (self.console_login && !self.password.is_empty())
            .then(|| validate::cam_form_password(&self.password).ok())
            .flatten();
        Ok(AddUser {
            name: name.0,
            remark: optional(&self.remark),
            console_login: self.console_login,
            use_api: self.use_api,
            // Only with console login: the password means nothing without it.
            password: password.map(|p| p.0),
            need_reset_password: self.console_login && self.need_reset_password,
            country_code: phone.as_ref().map(|p| p.country_code.clone()),
            phone_num: phone.map(|p| p.number),
            email: optional(&self.email)
                .and_then(|_| validate::cam_form_email(&self.email).ok())
                .map(|e| e.0),
        })
    }
}

/// The one-time credentials as the CAM console offers them for download:
/// `Username,Password,SecretId,SecretKey`, with what the service returned.
/// Through the console's one CSV escaper: a value that a spreadsheet would
/// run as a formula gets a leading `'` there.
pub fn credentials_csv(added: &AddedUser, name: &str) -> String {
    use crate::csv::field;
    let password = added.password.as_ref().map(|p| p.expose()).unwrap_or("");
    let secret_id = added.secret_id.as_deref().unwrap_or("");
    let secret_key = added.secret_key.as_ref().map(|k| k.expose()).unwrap_or("");
    let user = if added.name.is_empty() {
        name
    } else {
        &added.name
    };
    format!(
        "Username,Password,SecretId,SecretKey\r\n{},{},{},{}\r\n",
        field(user),
        field(password),
        field(secret_id),
        field(secret_key)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sag_api::error::{ServiceError, Vendor};
    use sag_api::{Action, Secret};

    /// The documentation's own example values (AddUser, 示例值).
    fn documented_example() -> AddForm {
        AddForm {
            name: "Jack".into(),
            remark: "公司运营".into(),
            console_login: true,
            password: "test123456".into(),
            need_reset_password: false,
            use_api: true,
            country_code: "86".into(),
            phone: "10086".into(),
            email: "12340@qq.com".into(),
        }
    }

    #[test]
    fn the_documented_example_passes() {
        let request = documented_example().to_request().unwrap();
        assert_eq!(request.name, "Jack");
        assert_eq!(request.remark.as_deref(), Some("公司运营"));
        // A remark over 255 characters is refused with a message that says
        // the limit, as on the edit form; nothing is sent.
        let long = AddForm {
            remark: "x".repeat(300),
            ..documented_example()
        };
        let message = long.error(CamField::Remark, Locale::en).expect("refused");
        assert!(message.contains("255"), "{message}");
        assert!(long
            .to_request()
            .unwrap_err()
            .contains_key(&CamField::Remark));
        let at_limit = AddForm {
            remark: "备".repeat(255),
            ..documented_example()
        };
        assert_eq!(at_limit.error(CamField::Remark, Locale::en), None);
        assert_eq!(
            request.password.as_ref().map(Secret::expose),
            Some("test123456")
        );
        assert_eq!(request.phone_num.as_deref(), Some("10086"));
        assert_eq!(request.country_code.as_deref(), Some("86"));
        assert_eq!(request.email.as_deref(), Some("12340@qq.com"));
        assert!(request.use_api);
        // Advice, not a refusal.
        assert!(documented_example()
            .password_advice(Locale::en)
            .unwrap()
            .contains("an uppercase letter, a special character"));
    }

    #[test]
    fn only_a_name_is_needed_and_the_password_goes_only_with_console_login() {
        let form = AddForm {
            name: "ops-bot".into(),
            console_login: false,
            password: "Typed-but-unused1".into(),
            ..AddForm::default()
        };
        let request = form.to_request().unwrap();
        assert!(!request.console_login);
        assert_eq!(request.password, None);
        assert!(!request.need_reset_password);
        assert_eq!((&request.phone_num, &request.country_code), (&None, &None));
        let params = request.params();
        assert!(!params.contains_key("Password"));

        let generated = AddForm {
            name: "alice".into(),
            ..AddForm::default()
        }
        .to_request()
        .unwrap();
        assert!(generated.console_login);
        assert_eq!(generated.password, None, "the service generates one");
        assert!(generated.need_reset_password);
    }

    #[test]
    fn every_bad_field_says_what_is_allowed_in_form_order() {
        let form = AddForm {
            name: " ".into(),
            password: "short".into(),
            country_code: "0".into(),
            phone: "10086".into(),
            email: "12340qq.com".into(),
            ..AddForm::default()
        };
        let errors = form.to_request().unwrap_err();
        assert_eq!(
            errors.keys().copied().collect::<Vec<_>>(),
            [
                CamField::Name,
                CamField::Password,
                CamField::CountryCode,
                CamField::Email
            ]
        );
        assert!(errors[&CamField::Password].contains("at least 8"));
        assert!(errors[&CamField::Email].contains("name@example.com"));
        let phone = AddForm {
            name: "a".into(),
            phone: "1380013800x".into(),
            ..AddForm::default()
        };
        assert!(phone.errors()[&CamField::Phone].contains("as digits"));
    }

    fn service(code: &str, message: &str) -> ApiError {
        ApiError::Service(Box::new(ServiceError {
            vendor: Vendor::Tencent,
            code: code.into(),
            message: message.into(),
            request_id: Some("R".into()),
            http_status: 200,
            host_id: None,
            our_string_to_sign: None,
            our_canonical_request: None,
        }))
    }

    #[test]
    fn service_errors_land_on_their_field() {
        let on = |code: &str, message: &str| CamField::for_error(&service(code, message));
        assert_eq!(
            on("InvalidParameter.SubUserNameInUse", "in use"),
            Some(CamField::Name)
        );
        assert_eq!(
            on("InvalidParameter.UserNameIllegal", "bad"),
            Some(CamField::Name)
        );
        assert_eq!(
            on("InvalidParameter.PasswordViolatedRules", "weak"),
            Some(CamField::Password)
        );
        assert_eq!(
            on("InvalidParameter.ParamError", "Remark is invalid: too long"),
            Some(CamField::Remark)
        );
        assert_eq!(
            on(
                "InvalidParameter.ParamError",
                "PhoneNum or CountryCode is invalid"
            ),
            Some(CamField::Phone)
        );
        assert_eq!(
            on("InvalidParameter.ParamError", "param error: EmailAddress"),
            None,
            "whole words only"
        );
        assert_eq!(on("InvalidParameter.SubUserFull", "full"), None);
        assert_eq!(on("RequestLimitExceeded.CreateUser", "slow down"), None);
    }

    #[test]
    fn the_credentials_csv_has_the_consoles_columns() {
        let added = AddedUser {
            name: "bot01".into(),
            password: Some(Secret::new("Gen,er\"ated1!")),
            secret_id: Some("AKIDabc".into()),
            secret_key: Some(Secret::new("skey")),
            ..AddedUser::default()
        };
        assert_eq!(
            credentials_csv(&added, "bot01"),
            "Username,Password,SecretId,SecretKey\r\nbot01,\"Gen,er\"\"ated1!\",AKIDabc,skey\r\n"
        );
        // A generated value that a spreadsheet would run as a formula
        // stays text, even after spaces.
        let hostile = AddedUser {
            name: "=cmd|'/c calc'!A1".into(),
            password: Some(Secret::new(" -2+3")),
            secret_id: Some("@SUM(1)".into()),
            secret_key: Some(Secret::new("+x;y")),
            ..AddedUser::default()
        };
        assert_eq!(
            credentials_csv(&hostile, "x"),
            "Username,Password,SecretId,SecretKey\r\n'=cmd|'/c calc'!A1,' -2+3,'@SUM(1),\"'+x;y\"\r\n"
        );
        let bare = AddedUser::default();
        assert_eq!(
            credentials_csv(&bare, "x"),
            "Username,Password,SecretId,SecretKey\r\nx,,,\r\n"
        );
    }
}
