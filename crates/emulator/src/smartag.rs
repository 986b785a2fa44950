//! Smartag (`2018-03-13`) actions against the world, with the vendor's
//! error codes. Signature checks happen before (see `aliyun`).

use sag_api::sign::Params;
use sag_api::validate;
use serde_json::{json, Value};

use crate::state::{ClientUser, Session, World};

/// A refusal: HTTP status, vendor code, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fail {
    pub status: u16,
    pub code: String,
    pub message: String,
}

pub fn fail(status: u16, code: &str, message: impl Into<String>) -> Fail {
    Fail {
        status,
        code: code.into(),
        message: message.into(),
    }
}

/// Whether a successful call changed state (to be persisted).
pub struct Outcome {
    pub body: Value,
    pub mutated: bool,
}

const MAX_BANDWIDTH: u64 = 20_000;
const USER_PAGE_MAX: u64 = 100;
const INSTANCE_PAGE_MAX: u64 = 50;
const STATISTICS_MAX: usize = 50;

/// A parameter's value; empty counts as absent, as the vendors treat it.
pub(crate) fn get<'a>(p: &'a Params, key: &str) -> Option<&'a str> {
    p.get(key).map(String::as_str).filter(|v| !v.is_empty())
}

fn required<'a>(p: &'a Params, key: &str) -> Result<&'a str, Fail> {
    get(p, key).ok_or_else(|| {
        fail(
            400,
            &format!("Missing{key}"),
            format!("{key} is mandatory for this action."),
        )
    })
}

fn page_param(p: &Params, key: &str, default: u64, max: u64) -> Result<u64, Fail> {
    match get(p, key) {
        None => Ok(default),
        Some(v) => match v.parse::<u64>() {
            Ok(n) if n >= 1 => Ok(n.min(max)),
            _ => Err(fail(
                400,
                "InvalidParameter",
                format!("The parameter {key} is invalid."),
            )),
        },
    }
}

fn instance_key(p: &Params) -> Result<(&str, &str), Fail> {
    let region = required(p, "RegionId")?;
    let id = get(p, "SmartAGId")
        .ok_or_else(|| fail(400, "SAG.InstanceIdEmpty", "The SmartAGId is empty."))?;
    Ok((region, id))
}

fn not_found(id: &str) -> Fail {
    fail(
        400,
        "SAG.InstanceNoFound",
        format!("The specified Smart Access Gateway instance {id} does not exist."),
    )
}

/// Region, instance and user name a single-user action addresses, checked
/// in the vendor's order (`SAG.InstanceIdEmpty`, then `ClientUser.NameEmpty`).
/// `user_key` is `UserName`, or `Username` for KickOutClients.
fn addressed<'p>(p: &'p Params, user_key: &str) -> Result<(&'p str, &'p str, &'p str), Fail> {
    let (region, id) = instance_key(p)?;
    Ok((region, id, user_name(p, user_key)?))
}

/// The user an action addresses (`SAG.InstanceNoFound`, `ClientUser.NameInvalid`).
fn find_user<'w>(
    world: &'w mut World,
    (region, id, name): (&str, &str, &str),
) -> Result<&'w mut ClientUser, Fail> {
    let instance = world
        .instance_mut(region, id)
        .ok_or_else(|| not_found(id))?;
    instance.user_mut(name).ok_or_else(|| user_not_exist(name))
}

/// A name the instance does not have. The vendor documents only
/// `ClientUser.NameInvalid` ("The specified UserName is invalid.") for
/// `DeleteSmartAccessGatewayClientUser` and `DescribeUserOnlineClients`,
/// which is what an unknown name most likely gets; the emulator answers it
/// for every single-user action (for the others, our guess: see
/// docs/emulator.md).
fn user_not_exist(_name: &str) -> Fail {
    fail(
        400,
        "ClientUser.NameInvalid",
        "The specified UserName is invalid.",
    )
}

/// One page of `items` in the vendor's envelope:
/// `{"TotalCount", "PageNumber", "PageSize", outer: {inner: [...]}}`.
fn paged(items: Vec<Value>, page: u64, size: u64, outer: &str, inner: &str) -> Value {
    let total = items.len();
    let slice: Vec<Value> = items
        .into_iter()
        // A page number past any list (up to u64::MAX) is an empty page.
        .skip(
            (page - 1)
                .checked_mul(size)
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(usize::MAX),
        )
        .take(size as usize)
        .collect();
    let mut body = serde_json::Map::new();
    body.insert("TotalCount".into(), json!(total));
    body.insert("PageNumber".into(), json!(page));
    body.insert("PageSize".into(), json!(size));
    body.insert(outer.into(), json!({ inner: slice }));
    Value::Object(body)
}

fn user_json(u: &ClientUser) -> Value {
    let ip = u
        .static_ip
        .clone()
        .or_else(|| u.sessions.first().map(|s| s.client_ip.clone()));
    json!({
        "UserName": u.user_name,
        "UserMail": u.user_mail,
        "Bandwidth": u.bandwidth,
        "ClientIp": ip.unwrap_or_default(),
        "State": if u.disabled { 1 } else { 0 },
        "IsStaticIp": if u.static_ip.is_some() { 1 } else { 0 },
        "AccelerateBandwidth": 0,
    })
}

fn bandwidth(p: &Params, required_: bool) -> Result<Option<u32>, Fail> {
    let Some(text) = get(p, "Bandwidth") else {
        return if required_ {
            required(p, "Bandwidth").map(|_| None)
        } else {
            Ok(None)
        };
    };
    match text.parse::<u64>() {
        Ok(n) if (1..=MAX_BANDWIDTH).contains(&n) => Ok(Some(n as u32)),
        _ => Err(fail(
            400,
            "ClientUser.BandwidthInvalid",
            format!("The bandwidth {text} is invalid; valid values are 1 to 20000."),
        )),
    }
}

fn email(text: &str) -> Result<String, Fail> {
    validate::email(text).map(|e| e.0).map_err(|_| {
        fail(
            400,
            "ClientUser.EmailInvalid",
            format!("The email {text} is invalid."),
        )
    })
}

/// Runs one Smartag action.
/// `user_page_cap`: the most client users one page serves (see
/// `Config::user_page_cap`).
pub fn handle(
    world: &mut World,
    action: &str,
    p: &Params,
    user_page_cap: Option<u64>,
) -> Result<Outcome, Fail> {
    let read = |body: Value| {
        Ok(Outcome {
            body,
            mutated: false,
        })
    };
    let wrote = |body: Value| {
        Ok(Outcome {
            body,
            mutated: true,
        })
    };
    match action {
        "DescribeSmartAccessGateways" => {
            let region = required(p, "RegionId")?;
            let page = page_param(p, "PageNumber", 1, u64::MAX)?;
            let size = page_param(p, "PageSize", 10, INSTANCE_PAGE_MAX)?;
            let matches: Vec<_> = world
                .instances
                .iter()
                .filter(|i| i.region == region)
                .filter(|_| get(p, "InstanceType").is_none_or(|t| t == "software"))
                .filter(|i| get(p, "SmartAGId").is_none_or(|id| id == i.id))
                .filter(|i| get(p, "Name").is_none_or(|n| n == i.name))
                .collect();
            let items: Vec<Value> = matches
                .iter()
                .map(|i| {
                    json!({
                        "SmartAGId": i.id,
                        "Name": i.name,
                        "Description": i.description,
                        "Status": i.status,
                        "CidrBlock": i.cidr,
                        "UserCount": i.user_quota,
                        "DataPlan": 5,
                        "MaxBandwidth": "",
                        "CreateTime": i.created_ms,
                        "EndTime": i.end_ms,
                        "HardwareVersion": "",
                        "SoftwareVersion": "",
                        "SerialNumber": "",
                        "Position": "",
                        "City": "",
                    })
                })
                .collect();
            read(paged(
                items,
                page,
                size,
                "SmartAccessGateways",
                "SmartAccessGateway",
            ))
        }
        "DescribeSmartAccessGatewayClientUsers" => {
            let (region, id) = instance_key(p)?;
            let page = page_param(p, "PageNumber", 1, u64::MAX)?;
            let size = page_param(p, "PageSize", 10, USER_PAGE_MAX)?
                .min(user_page_cap.unwrap_or(USER_PAGE_MAX).max(1));
            let instance = world.instance(region, id).ok_or_else(|| not_found(id))?;
            let matches: Vec<&ClientUser> = instance
                .users
                .iter()
                .filter(|u| get(p, "UserName").is_none_or(|n| n == u.user_name))
                .filter(|u| get(p, "UserMail").is_none_or(|m| m == u.user_mail))
                .collect();
            let users: Vec<Value> = matches.iter().map(|u| user_json(u)).collect();
            read(paged(users, page, size, "Users", "User"))
        }
        "CreateSmartAccessGatewayClientUser" => {
            let (region, id) = instance_key(p)?;
            let mail_text = get(p, "UserMail")
                .ok_or_else(|| fail(400, "ClientUser.EmailEmpty", "The email is empty."))?;
            let bandwidth = bandwidth(p, true)?.unwrap_or_default();
            let mail = email(mail_text)?;
            let name = match (get(p, "UserName"), get(p, "Password")) {
                (None, None) => None,
                (None, Some(_)) => {
                    return Err(fail(
                        400,
                        "ClientUser.NameEmpty",
                        "The UserName is empty; UserName and Password must be given together.",
                    ))
                }
                (Some(_), None) => {
                    return Err(fail(
                        400,
                        "MissingPassword",
                        "Password is mandatory when UserName is given.",
                    ))
                }
                (Some(n), Some(pw)) => {
                    validate::user_name(n).map_err(|e| {
                        fail(
                            400,
                            "ClientUser.NameInvalid",
                            format!("The UserName is invalid: {e}"),
                        )
                    })?;
                    validate::password(pw).map_err(|e| {
                        fail(
                            400,
                            "ClientUser.PasswordInvalid",
                            format!("The Password is invalid: {e}"),
                        )
                    })?;
                    Some(n.to_owned())
                }
            };
            let instance = world
                .instance_mut(region, id)
                .ok_or_else(|| not_found(id))?;
            let user_name = name.unwrap_or_else(|| mail.clone());
            if instance.user(&user_name).is_some() {
                return Err(fail(
                    400,
                    "ClientUser.UserExist",
                    format!("The client user {user_name} already exists."),
                ));
            }
            if instance.users.len() >= instance.user_quota as usize {
                return Err(fail(
                    400,
                    "ClientUser.UserOverLimit",
                    format!(
                        "The number of client users has reached the quota of {}.",
                        instance.user_quota
                    ),
                ));
            }
            let static_ip = match get(p, "ClientIp") {
                None => None,
                Some(ip) => {
                    if instance.net().is_none() {
                        return Err(fail(
                            400,
                            "SAG.CidrEmpty",
                            "The instance has no client CIDR block.",
                        ));
                    }
                    if ip.parse::<std::net::Ipv4Addr>().is_err() {
                        return Err(fail(
                            400,
                            "ClientUser.InvalidClientIp",
                            format!("The client IP {ip} is not a valid IPv4 address."),
                        ));
                    }
                    validate::client_ip(ip, instance.net().as_ref()).map_err(|e| {
                        fail(
                            400,
                            "ClientUser.IpInvalid",
                            format!("The client IP is invalid: {e}"),
                        )
                    })?;
                    if instance.ip_taken(ip) {
                        return Err(fail(
                            400,
                            "ClientUser.IpInvalid",
                            format!("The client IP {ip} is already in use."),
                        ));
                    }
                    Some(ip.to_owned())
                }
            };
            let user = ClientUser {
                user_name: user_name.clone(),
                user_mail: mail.clone(),
                bandwidth,
                static_ip: static_ip.clone(),
                disabled: false,
                used_data_this_month: false,
                sessions: Vec::new(),
            };
            instance.users.push(user);
            wrote(json!({
                "UserName": user_name,
                "UserMail": mail,
                "Bandwidth": bandwidth,
                "ClientIp": static_ip.unwrap_or_default(),
            }))
        }
        "DeleteSmartAccessGatewayClientUser" => {
            let (region, id) = instance_key(p)?;
            let name = user_name(p, "UserName")?;
            let instance = world
                .instance_mut(region, id)
                .ok_or_else(|| not_found(id))?;
            let at = instance
                .users
                .iter()
                .position(|u| u.user_name == name)
                .ok_or_else(|| user_not_exist(name))?;
            if instance.users[at].used_data_this_month {
                return Err(fail(400, "ClientUser.UserInUsing", format!("The client user {name} has already been used in this month and cannot be deleted.")));
            }
            instance.users.remove(at);
            wrote(json!({}))
        }
        "ModifySmartAccessGatewayClientUser" => {
            let target = addressed(p, "UserName")?;
            let bandwidth = bandwidth(p, false)?;
            let mail = get(p, "Email").map(email).transpose()?;
            let user = find_user(world, target)?;
            if let Some(b) = bandwidth {
                user.bandwidth = b;
            }
            if let Some(m) = mail {
                user.user_mail = m;
            }
            let body = json!({
                "UserName": user.user_name,
                "UserMail": user.user_mail,
                "Bandwidth": user.bandwidth,
                "ClientIp": user.static_ip.clone().unwrap_or_default(),
            });
            wrote(body)
        }
        "ResetSmartAccessGatewayClientUserPassword" => {
            let target = addressed(p, "UserName")?;
            if let Some(pw) = get(p, "Password") {
                validate::password(pw).map_err(|e| {
                    fail(
                        400,
                        "ClientUser.PasswordInvalid",
                        format!("The Password is invalid: {e}"),
                    )
                })?;
            }
            find_user(world, target)?;
            wrote(json!({}))
        }
        "EnableSmartAccessGatewayUser" | "DisableSmartAccessGatewayUser" => {
            let user = find_user(world, addressed(p, "UserName")?)?;
            user.disabled = action == "DisableSmartAccessGatewayUser";
            if user.disabled {
                user.sessions.clear();
            }
            wrote(json!({}))
        }
        "DescribeUserOnlineClients" => {
            let user = find_user(world, addressed(p, "UserName")?)?;
            let clients: Vec<Value> = user
                .sessions
                .iter()
                .map(
                    |s| json!({ "ClientIp": s.client_ip, "OnlineTime": s.online_time.to_string() }),
                )
                .collect();
            read(json!({ "Users": { "User": clients } }))
        }
        "DescribeUserOnlineClientStatistics" => {
            let (region, id) = instance_key(p)?;
            let mut names: Vec<&str> = p
                .iter()
                .filter(|(k, _)| k.starts_with("UserNames."))
                .filter_map(|(k, v)| {
                    Some((k["UserNames.".len()..].parse::<usize>().ok()?, v.as_str()))
                })
                .collect::<std::collections::BTreeMap<_, _>>()
                .into_values()
                .collect();
            if names.is_empty() {
                if let Some(list) = get(p, "UserNames") {
                    names = list
                        .split(',')
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .collect();
                }
            }
            if names.is_empty() {
                return Err(fail(
                    400,
                    "MissingUserNames",
                    "UserNames is mandatory for this action.",
                ));
            }
            if names.len() > STATISTICS_MAX {
                return Err(fail(
                    400,
                    "InvalidParameter",
                    format!("At most {STATISTICS_MAX} UserNames can be queried at a time."),
                ));
            }
            let instance = world.instance(region, id).ok_or_else(|| not_found(id))?;
            let stats: Vec<Value> = names
                .iter()
                .map(|n| {
                    let count = instance.user(n).map_or(0, |u| u.sessions.len());
                    json!({ "UserName": n, "OnlineCount": count.to_string() })
                })
                .collect();
            read(json!({ "UserStatistics": { "Statistics": stats } }))
        }
        "KickOutClients" => {
            let user = find_user(world, addressed(p, "Username")?)?;
            user.sessions.clear();
            wrote(json!({}))
        }
        other => Err(fail(
            404,
            "InvalidAction.NotFound",
            format!("Specified api {other} is not found, please check your url and method."),
        )),
    }
}

fn user_name<'a>(p: &'a Params, key: &str) -> Result<&'a str, Fail> {
    get(p, key).ok_or_else(|| fail(400, "ClientUser.NameEmpty", format!("The {key} is empty.")))
}

/// Puts a client of `user_name` online (control endpoint).
pub fn put_online(
    world: &mut World,
    id: &str,
    user_name: &str,
    client_ip: Option<String>,
    online_time: i64,
) -> Result<Session, String> {
    let instance = world
        .instance_by_id_mut(id)
        .ok_or_else(|| format!("no instance {id}"))?;
    let index = instance
        .users
        .iter()
        .position(|u| u.user_name == user_name)
        .ok_or_else(|| format!("no user {user_name} on {id}"))?;
    let ip = match client_ip {
        Some(ip) => ip,
        None => instance
            .session_ip(index)
            .ok_or("no free address in the instance CIDR")?,
    };
    let session = Session {
        client_ip: ip,
        online_time,
    };
    let user = &mut instance.users[index];
    user.sessions.push(session.clone());
    user.used_data_this_month = true;
    Ok(session)
}
