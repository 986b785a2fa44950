//! Typed Tencent Cloud CAM (`2019-01-16`) sub-user actions.

use crate::json::Value;

use crate::action::{Action, Product};
use crate::lenient::{Fields, FromJson};
use crate::secret::Secret;
use crate::sign::Params;

pub const VERSION: &str = crate::action::CAM_VERSION;
/// The host the official SDK signs and sends to.
pub const DEFAULT_HOST: &str = crate::action::CAM_DEFAULT_HOST;
/// The host the international documentation names.
pub const INTL_HOST: &str = "cam.intl.tencentcloudapi.com";

/// CAM's parameters typed Integer: a TC3 JSON body carries them as JSON
/// numbers (`"ConsoleLogin":1`); API 3.0 refuses a string there.
pub const INTEGER_PARAMETERS: &[&str] = &["ConsoleLogin", "Force", "NeedResetPassword", "UseApi"];

fn flag(value: bool) -> String {
    if value { "1" } else { "0" }.to_owned()
}

/// Creates a sub-user. With `use_api` the response carries a `SecretId` and
/// `SecretKey` that can never be read again; with `console_login` and no
/// password, a generated 32-character password comes back once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddUser {
    pub name: String,
    pub remark: Option<String>,
    pub console_login: bool,
    pub use_api: bool,
    pub password: Option<Secret>,
    pub need_reset_password: bool,
    pub phone_num: Option<String>,
    pub country_code: Option<String>,
    pub email: Option<String>,
}

impl Action for AddUser {
    const PRODUCT: Product = Product::Cam;
    const NAME: &'static str = "AddUser";
    type Response = AddedUser;

    fn params(&self) -> Params {
        let mut p = Params::new();
        p.insert("Name".into(), self.name.clone());
        p.insert("ConsoleLogin".into(), flag(self.console_login));
        p.insert("UseApi".into(), flag(self.use_api));
        if self.console_login {
            p.insert("NeedResetPassword".into(), flag(self.need_reset_password));
        }
        insert_opt(&mut p, "Remark", self.remark.as_deref());
        insert_opt(
            &mut p,
            "Password",
            self.password.as_ref().map(Secret::expose),
        );
        insert_opt(&mut p, "PhoneNum", self.phone_num.as_deref());
        insert_opt(&mut p, "CountryCode", self.country_code.as_deref());
        insert_opt(&mut p, "Email", self.email.as_deref());
        p
    }
}

fn insert_opt(p: &mut Params, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        p.insert(key.into(), v.into());
    }
}

/// Lists every sub-user (the API has no paging).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListUsers;

impl Action for ListUsers {
    const PRODUCT: Product = Product::Cam;
    const NAME: &'static str = "ListUsers";
    type Response = UserList;

    fn params(&self) -> Params {
        Params::new()
    }
}

/// Reads one sub-user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetUser {
    pub name: String,
}

impl Action for GetUser {
    const PRODUCT: Product = Product::Cam;
    const NAME: &'static str = "GetUser";
    type Response = UserDetail;

    fn params(&self) -> Params {
        crate::sign::map_of([("Name".to_owned(), self.name.clone())])
    }
}

/// Changes a sub-user; only the fields that are set are sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateUser {
    pub name: String,
    pub remark: Option<String>,
    pub console_login: Option<bool>,
    pub password: Option<Secret>,
    pub need_reset_password: Option<bool>,
    pub phone_num: Option<String>,
    pub country_code: Option<String>,
    pub email: Option<String>,
}

impl Action for UpdateUser {
    const PRODUCT: Product = Product::Cam;
    const NAME: &'static str = "UpdateUser";
    type Response = Ack;

    fn params(&self) -> Params {
        let mut p = Params::new();
        p.insert("Name".into(), self.name.clone());
        insert_opt(&mut p, "Remark", self.remark.as_deref());
        if let Some(v) = self.console_login {
            p.insert("ConsoleLogin".into(), flag(v));
        }
        insert_opt(
            &mut p,
            "Password",
            self.password.as_ref().map(Secret::expose),
        );
        if let Some(v) = self.need_reset_password {
            p.insert("NeedResetPassword".into(), flag(v));
        }
        insert_opt(&mut p, "PhoneNum", self.phone_num.as_deref());
        insert_opt(&mut p, "CountryCode", self.country_code.as_deref());
        insert_opt(&mut p, "Email", self.email.as_deref());
        p
    }
}

/// Deletes a sub-user. Without `force` a user who still has API keys is
/// refused with `OperationDenied.HaveKeys`; with it the keys go first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteUser {
    pub name: String,
    pub force: bool,
}

impl Action for DeleteUser {
    const PRODUCT: Product = Product::Cam;
    const NAME: &'static str = "DeleteUser";
    type Response = Ack;

    fn params(&self) -> Params {
        let mut p = Params::new();
        p.insert("Name".into(), self.name.clone());
        if self.force {
            p.insert("Force".into(), "1".into());
        }
        p
    }
}

// ---------------------------------------------------------------- responses

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ack {
    pub request_id: String,
}

impl FromJson for Ack {
    fn from_json(value: &Value) -> Result<Self, String> {
        Ok(Ack {
            request_id: Fields::of(value)?.string("RequestId")?,
        })
    }
}

/// What `AddUser` returns. `password`, `secret_id` and `secret_key` are
/// shown once and cannot be read again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddedUser {
    pub uin: u64,
    pub uid: u64,
    pub name: String,
    pub password: Option<Secret>,
    pub secret_id: Option<String>,
    pub secret_key: Option<Secret>,
    pub phone_num_verify_link: Option<String>,
    pub request_id: String,
}

impl FromJson for AddedUser {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(AddedUser {
            uin: f.u64("Uin")?,
            uid: f.u64("Uid")?,
            name: f.string("Name")?,
            password: f.opt_string("Password")?.map(Secret::new),
            secret_id: f.opt_string("SecretId")?,
            secret_key: f.opt_string("SecretKey")?.map(Secret::new),
            phone_num_verify_link: f.opt_string("PhoneNumVerifyLink")?,
            request_id: f.string("RequestId")?,
        })
    }
}

/// A sub-user as `ListUsers` returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CamUser {
    pub uin: u64,
    pub name: String,
    pub uid: u64,
    pub remark: Option<String>,
    pub console_login: u64,
    pub phone_num: Option<String>,
    pub country_code: Option<String>,
    pub email: Option<String>,
    pub create_time: Option<String>,
    pub nick_name: Option<String>,
}

impl FromJson for CamUser {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(CamUser {
            uin: f.u64("Uin")?,
            name: f.string("Name")?,
            uid: f.u64("Uid")?,
            remark: f.opt_string("Remark")?,
            console_login: f.u64("ConsoleLogin")?,
            phone_num: f.opt_string("PhoneNum")?,
            country_code: f.opt_string("CountryCode")?,
            email: f.opt_string("Email")?,
            create_time: f.opt_string("CreateTime")?,
            nick_name: f.opt_string("NickName")?,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserList {
    pub data: Vec<CamUser>,
    pub request_id: String,
}

impl FromJson for UserList {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(UserList {
            data: f.list("Data")?,
            request_id: f.string("RequestId")?,
        })
    }
}

/// A sub-user as `GetUser` returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserDetail {
    pub uin: u64,
    pub name: String,
    pub uid: u64,
    pub remark: Option<String>,
    pub console_login: u64,
    pub phone_num: Option<String>,
    pub country_code: Option<String>,
    pub email: Option<String>,
    pub recently_login_ip: Option<String>,
    pub recently_login_time: Option<String>,
    pub request_id: String,
}

impl FromJson for UserDetail {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(UserDetail {
            uin: f.u64("Uin")?,
            name: f.string("Name")?,
            uid: f.u64("Uid")?,
            remark: f.opt_string("Remark")?,
            console_login: f.u64("ConsoleLogin")?,
            phone_num: f.opt_string("PhoneNum")?,
            country_code: f.opt_string("CountryCode")?,
            email: f.opt_string("Email")?,
            recently_login_ip: f.opt_string("RecentlyLoginIP")?,
            recently_login_time: f.opt_string("RecentlyLoginTime")?,
            request_id: f.string("RequestId")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inner(body: &str) -> Value {
        crate::json::parse(body)
            .unwrap()
            .get("Response")
            .unwrap()
            .clone()
    }

    #[test]
    fn add_user_sends_flags_as_digits_and_only_set_fields() {
        let add = AddUser {
            name: "alice01".into(),
            remark: Some("ops team".into()),
            console_login: true,
            use_api: false,
            password: Some(Secret::new("Passw0rd!2024")),
            need_reset_password: true,
            ..AddUser::default()
        };
        let p = add.params();
        let keys: Vec<&str> = p.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "ConsoleLogin",
                "Name",
                "NeedResetPassword",
                "Password",
                "Remark",
                "UseApi"
            ]
        );
        assert_eq!(p["ConsoleLogin"], "1");
        assert_eq!(p["UseApi"], "0");
        let api_only = AddUser {
            name: "bot".into(),
            use_api: true,
            ..AddUser::default()
        }
        .params();
        assert_eq!(api_only.len(), 3);
        assert_eq!(api_only["UseApi"], "1");
    }

    #[test]
    fn other_actions_send_their_parameters() {
        assert!(ListUsers.params().is_empty());
        assert_eq!(GetUser { name: "a".into() }.params()["Name"], "a");
        let del = DeleteUser {
            name: "a".into(),
            force: true,
        }
        .params();
        assert_eq!(del["Force"], "1");
        assert!(!DeleteUser {
            name: "a".into(),
            force: false
        }
        .params()
        .contains_key("Force"));
        let upd = UpdateUser {
            name: "a".into(),
            console_login: Some(false),
            ..UpdateUser::default()
        }
        .params();
        assert_eq!(upd.len(), 2);
        assert_eq!(upd["ConsoleLogin"], "0");
    }

    #[test]
    fn decodes_the_documented_add_user_example() {
        let body = r#"{"Response":{"Name":"c*****","Password":"","PhoneNumVerifyLink":"https://cloud.tencent.com/cam/verifyPhone?token=x","SecretId":"","SecretKey":"","Uid":900000000,"Uin":700003000000,"RequestId":"bfbeba3a-40a2-4eb9-b760-3fdf2c92170f"}}"#;
        let added: AddedUser = FromJson::from_json(&inner(body)).unwrap();
        assert_eq!(added.uin, 700_003_000_000);
        assert_eq!(added.uid, 900_000_000);
        assert_eq!(added.password, None);
        assert_eq!(added.secret_key, None);
        let with_keys: AddedUser = FromJson::from_json(&inner(
            r#"{"Response":{"Name":"bot","Uin":"1","Uid":"2","SecretId":"AKIDx","SecretKey":"sk","Password":"p","RequestId":"r"}}"#,
        ))
        .unwrap();
        assert_eq!(
            with_keys.secret_key.as_ref().map(Secret::expose),
            Some("sk")
        );
        assert!(!format!("{with_keys:?}").contains("\"sk\""));
    }

    #[test]
    fn decodes_list_and_get_user() {
        let list: UserList = FromJson::from_json(&inner(
            r#"{"Response":{"Data":[{"Uin":1,"Name":"a","Uid":2,"Remark":null,"ConsoleLogin":1,"PhoneNum":"","CountryCode":"86","Email":"a@example.com","CreateTime":"2021-11-26 16:21:01","NickName":null}],"RequestId":"r"}}"#,
        ))
        .unwrap();
        assert_eq!(list.data.len(), 1);
        assert_eq!(list.data[0].remark, None);
        assert_eq!(
            list.data[0].create_time.as_deref(),
            Some("2021-11-26 16:21:01")
        );
        let empty: UserList =
            FromJson::from_json(&inner(r#"{"Response":{"Data":[],"RequestId":"r"}}"#)).unwrap();
        assert!(empty.data.is_empty());
        let user: UserDetail = FromJson::from_json(&inner(
            r#"{"Response":{"Uin":1,"Name":"a","Uid":2,"Remark":null,"ConsoleLogin":"0","RecentlyLoginIP":"1.2.3.4","RecentlyLoginTime":"2023-02-27 14:59:08","RequestId":"r"}}"#,
        ))
        .unwrap();
        assert_eq!(user.recently_login_ip.as_deref(), Some("1.2.3.4"));
        assert_eq!(user.console_login, 0);
    }
}
