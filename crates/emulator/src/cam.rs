//! CAM (`2019-01-16`) sub-user actions against the world, with Tencent's
//! error codes. Signature checks happen before (see `tencent`).

use rand::distributions::Alphanumeric;
use rand::Rng;
use sag_api::sign::Params;
use sag_api::validate;
use serde_json::{json, Value};

use crate::smartag::{fail, get, Fail, Outcome};
use crate::state::{CamUser, World};

fn name(p: &Params) -> Result<&str, Fail> {
    get(p, "Name").ok_or_else(|| {
        fail(
            200,
            "MissingParameter",
            "The request is missing a required parameter `Name`.",
        )
    })
}

fn flag(p: &Params, key: &str) -> Result<Option<bool>, Fail> {
    match get(p, key) {
        None => Ok(None),
        Some("0") => Ok(Some(false)),
        Some("1") => Ok(Some(true)),
        Some(other) => Err(fail(
            200,
            "InvalidParameterValue",
            format!("The value `{other}` of parameter `{key}` is not 0 or 1."),
        )),
    }
}

fn not_exist(name: &str) -> Fail {
    fail(
        200,
        "ResourceNotFound.UserNotExist",
        format!("The sub-user {name} does not exist."),
    )
}

fn random_text(rng: &mut impl Rng, len: usize) -> String {
    (0..len).map(|_| rng.sample(Alphanumeric) as char).collect()
}

/// A generated password that meets the default rule (upper, lower, digit, special).
fn generated_password(rng: &mut impl Rng) -> String {
    let mut text = random_text(rng, 28);
    text.insert_str(0, "Aa1!");
    text
}

fn check_optional(p: &Params) -> Result<(), Fail> {
    if let Some(email) = get(p, "Email") {
        validate::cam_email(email).map_err(|e| {
            fail(
                200,
                "InvalidParameter.ParamError",
                format!("Email is invalid: {e}"),
            )
        })?;
    }
    match (get(p, "CountryCode"), get(p, "PhoneNum")) {
        (None, None) => {}
        (code, number) => {
            validate::cam_phone(code.unwrap_or(""), number.unwrap_or("")).map_err(|e| {
                fail(
                    200,
                    "InvalidParameter.ParamError",
                    format!("PhoneNum or CountryCode is invalid: {e}"),
                )
            })?;
        }
    }
    if let Some(remark) = get(p, "Remark") {
        validate::cam_remark(remark).map_err(|e| {
            fail(
                200,
                "InvalidParameter.ParamError",
                format!("Remark is invalid: {e}"),
            )
        })?;
    }
    Ok(())
}

fn check_password(password: &str) -> Result<(), Fail> {
    validate::cam_password(password).map(|_| ()).map_err(|e| {
        fail(
            200,
            "InvalidParameter.PasswordViolatedRules",
            format!("The password violates the password rules: {e}"),
        )
    })
}

/// The fields `ListUsers` and `GetUser` share.
fn user_fields(u: &CamUser) -> serde_json::Map<String, Value> {
    let value = json!({
        "Uin": u.uin,
        "Name": u.name,
        "Uid": u.uid,
        "Remark": u.remark,
        "ConsoleLogin": u64::from(u.console_login),
        "PhoneNum": u.phone_num.clone().unwrap_or_default(),
        "CountryCode": u.country_code.clone().unwrap_or_default(),
        "Email": u.email.clone().unwrap_or_default(),
    });
    match value {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

fn format_time(unix: i64) -> String {
    let ts = sag_api::request::format_aliyun_timestamp(unix);
    ts.replace('T', " ").trim_end_matches('Z').to_owned()
}

/// Runs one CAM action. `now` is Unix seconds.
pub fn handle(
    world: &mut World,
    action: &str,
    p: &Params,
    now: i64,
    rng: &mut impl Rng,
) -> Result<Outcome, Fail> {
    match action {
        "AddUser" => {
            let name = name(p)?;
            validate::cam_user_name(name).map_err(|e| {
                fail(
                    200,
                    "InvalidParameter.UserNameIllegal",
                    format!("The user name is illegal: {e}"),
                )
            })?;
            let console_login = flag(p, "ConsoleLogin")?.unwrap_or(false);
            let use_api = flag(p, "UseApi")?.unwrap_or(false);
            let need_reset = flag(p, "NeedResetPassword")?.unwrap_or(false);
            check_optional(p)?;
            if let (true, Some(pw)) = (console_login, get(p, "Password")) {
                check_password(pw)?;
            }
            if world.cam_user(name).is_some() {
                return Err(fail(
                    200,
                    "InvalidParameter.SubUserNameInUse",
                    format!("The sub-user name {name} is already in use."),
                ));
            }
            if world.cam_users.len() >= world.cam_user_quota {
                return Err(fail(
                    200,
                    "InvalidParameter.SubUserFull",
                    "The number of sub-users has reached the limit.",
                ));
            }
            let password =
                (console_login && get(p, "Password").is_none()).then(|| generated_password(rng));
            let (secret_id, secret_key) = if use_api {
                (
                    format!("AKID{}", random_text(rng, 32)),
                    random_text(rng, 32),
                )
            } else {
                (String::new(), String::new())
            };
            let user = CamUser {
                uin: world.next_uin,
                uid: world.next_uid,
                name: name.to_owned(),
                remark: get(p, "Remark").map(Into::into),
                console_login,
                need_reset_password: need_reset,
                phone_num: get(p, "PhoneNum").map(Into::into),
                country_code: get(p, "CountryCode").map(Into::into),
                email: get(p, "Email").map(Into::into),
                create_time: format_time(now),
                api_key_ids: if use_api {
                    vec![secret_id.clone()]
                } else {
                    Vec::new()
                },
                recently_login_ip: None,
                recently_login_time: None,
            };
            world.next_uin += 1;
            world.next_uid += 1;
            let body = json!({
                "Uin": user.uin,
                "Uid": user.uid,
                "Name": user.name,
                "Password": password.unwrap_or_default(),
                "SecretId": secret_id,
                "SecretKey": secret_key,
            });
            world.cam_users.push(user);
            Ok(Outcome {
                body,
                mutated: true,
            })
        }
        "ListUsers" => {
            let data: Vec<Value> = world
                .cam_users
                .iter()
                .map(|u| {
                    let mut item = user_fields(u);
                    item.insert("CreateTime".into(), json!(u.create_time));
                    item.insert("NickName".into(), Value::Null);
                    Value::Object(item)
                })
                .collect();
            Ok(Outcome {
                body: json!({ "Data": data }),
                mutated: false,
            })
        }
        "GetUser" => {
            let name = name(p)?;
            let u = world.cam_user(name).ok_or_else(|| not_exist(name))?;
            Ok(Outcome {
                body: {
                    let mut item = user_fields(u);
                    item.insert(
                        "RecentlyLoginIP".into(),
                        json!(u.recently_login_ip.clone().unwrap_or_default()),
                    );
                    item.insert(
                        "RecentlyLoginTime".into(),
                        json!(u.recently_login_time.clone().unwrap_or_default()),
                    );
                    Value::Object(item)
                },
                mutated: false,
            })
        }
        "UpdateUser" => {
            let name = name(p)?;
            check_optional(p)?;
            let console_login = flag(p, "ConsoleLogin")?;
            let need_reset = flag(p, "NeedResetPassword")?;
            if let Some(pw) = get(p, "Password") {
                check_password(pw)?;
            }
            let user = world
                .cam_users
                .iter_mut()
                .find(|u| u.name == name)
                .ok_or_else(|| not_exist(name))?;
            if let Some(r) = get(p, "Remark") {
                user.remark = Some(r.into());
            }
            if let Some(c) = console_login {
                user.console_login = c;
            }
            if let Some(n) = need_reset {
                user.need_reset_password = n;
            }
            if let Some(v) = get(p, "PhoneNum") {
                user.phone_num = Some(v.into());
            }
            if let Some(v) = get(p, "CountryCode") {
                user.country_code = Some(v.into());
            }
            if let Some(v) = get(p, "Email") {
                user.email = Some(v.into());
            }
            Ok(Outcome {
                body: json!({}),
                mutated: true,
            })
        }
        "DeleteUser" => {
            let name = name(p)?;
            let force = flag(p, "Force")?.unwrap_or(false);
            let at = world
                .cam_users
                .iter()
                .position(|u| u.name == name)
                .ok_or_else(|| not_exist(name))?;
            if !world.cam_users[at].api_key_ids.is_empty() && !force {
                return Err(fail(
                    200,
                    "OperationDenied.HaveKeys",
                    format!(
                        "The sub-user {name} still has API keys; delete them first or set Force=1."
                    ),
                ));
            }
            world.cam_users.remove(at);
            Ok(Outcome {
                body: json!({}),
                mutated: true,
            })
        }
        other => Err(fail(
            200,
            "InvalidAction",
            format!("The action `{other}` does not exist."),
        )),
    }
}
