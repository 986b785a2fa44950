//! Typed Smartag (`2018-03-13`) actions for SAG App client users.
//!
//! Each request type turns into exactly the parameters the official SDKs
//! send; each response type decodes leniently (see [`crate::lenient`]).

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use crate::action::{Action, Product};
use crate::lenient;
use crate::secret::Secret;
use crate::sign::Params;
use crate::validate;

pub const VERSION: &str = crate::action::SMARTAG_VERSION;

/// The largest page `DescribeSmartAccessGatewayClientUsers` returns.
pub const MAX_USER_PAGE_SIZE: u32 = 100;
/// The most names `DescribeUserOnlineClientStatistics` takes per call.
pub const MAX_STATISTICS_NAMES: usize = 50;
/// The largest page `DescribeSmartAccessGateways` returns.
pub const MAX_INSTANCE_PAGE_SIZE: u32 = 50;

fn base(region_id: &str, smart_ag_id: &str) -> Params {
    let mut p = Params::new();
    p.insert("RegionId".into(), region_id.into());
    p.insert("SmartAGId".into(), smart_ag_id.into());
    p
}

/// Declares a request addressing one user of one instance.
macro_rules! user_action {
    ($(#[$doc:meta])* $name:ident, $action:literal, $user_key:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            pub region_id: String,
            pub smart_ag_id: String,
            pub user_name: String,
        }

        impl $name {
            pub fn new(region_id: impl Into<String>, smart_ag_id: impl Into<String>, user_name: impl Into<String>) -> Self {
                $name { region_id: region_id.into(), smart_ag_id: smart_ag_id.into(), user_name: user_name.into() }
            }
        }

        impl Action for $name {
            const PRODUCT: Product = Product::Smartag;
            const NAME: &'static str = $action;
            type Response = Ack;

            fn params(&self) -> Params {
                let mut p = base(&self.region_id, &self.smart_ag_id);
                p.insert($user_key.into(), self.user_name.clone());
                p
            }
        }
    };
}

user_action!(
    /// Deletes a client user. Refused with `ClientUser.UserInUsing` for a user
    /// who used data in the current billing month (disable instead).
    DeleteClientUser,
    "DeleteSmartAccessGatewayClientUser",
    "UserName"
);
user_action!(
    /// Enables a disabled client user.
    EnableUser,
    "EnableSmartAccessGatewayUser",
    "UserName"
);
user_action!(
    /// Disables a client user, who can no longer connect.
    DisableUser,
    "DisableSmartAccessGatewayUser",
    "UserName"
);
user_action!(
    /// Disconnects every client of a user. Its parameter is `Username`, with a
    /// lower-case `n`, unlike every other action.
    KickOutClients,
    "KickOutClients",
    "Username"
);

/// Lists the clients a user has online now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeUserOnlineClients {
    pub region_id: String,
    pub smart_ag_id: String,
    pub user_name: String,
}

impl Action for DescribeUserOnlineClients {
    const PRODUCT: Product = Product::Smartag;
    const NAME: &'static str = "DescribeUserOnlineClients";
    type Response = OnlineClients;

    fn params(&self) -> Params {
        let mut p = base(&self.region_id, &self.smart_ag_id);
        p.insert("UserName".into(), self.user_name.clone());
        p
    }
}

/// Creates a client user. Username and password go together or not at all;
/// without them the service uses the email as the username and mails a
/// generated password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateClientUser {
    pub region_id: String,
    pub smart_ag_id: String,
    pub user_mail: String,
    pub bandwidth_kbps: u32,
    pub credentials: Option<(String, Secret)>,
    pub client_ip: Option<String>,
}

impl Action for CreateClientUser {
    const PRODUCT: Product = Product::Smartag;
    const NAME: &'static str = "CreateSmartAccessGatewayClientUser";
    type Response = CreatedClientUser;

    fn params(&self) -> Params {
        let mut p = base(&self.region_id, &self.smart_ag_id);
        p.insert("UserMail".into(), self.user_mail.clone());
        p.insert("Bandwidth".into(), self.bandwidth_kbps.to_string());
        if let Some((name, password)) = &self.credentials {
            p.insert("UserName".into(), name.clone());
            p.insert("Password".into(), password.expose().to_owned());
        }
        if let Some(ip) = &self.client_ip {
            p.insert("ClientIp".into(), ip.clone());
        }
        p
    }
}

impl CreateClientUser {
    /// The name the user will have: the username, or the email when none is given.
    pub fn login_name(&self) -> &str {
        self.credentials
            .as_ref()
            .map_or(self.user_mail.as_str(), |(name, _)| name.as_str())
    }
}

/// A new client user as the console's form produces it: every value parsed
/// and checked once (see [`crate::validate`]), so nothing is parsed again on
/// the way to the wire. [`NewClientUser::action`] lays it out for one instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClientUser {
    pub email: validate::Email,
    pub bandwidth: validate::Bandwidth,
    /// Username and password go together or not at all.
    pub login: Option<(validate::UserName, validate::Password)>,
    pub client_ip: Option<Ipv4Addr>,
}

impl NewClientUser {
    /// The name the user will have: the username, or the email.
    pub fn login_name(&self) -> &str {
        self.login
            .as_ref()
            .map_or(self.email.0.as_str(), |(name, _)| name.0.as_str())
    }

    /// The request that creates this user on `smart_ag_id`.
    pub fn action(&self, region_id: &str, smart_ag_id: &str) -> CreateClientUser {
        CreateClientUser {
            region_id: region_id.into(),
            smart_ag_id: smart_ag_id.into(),
            user_mail: self.email.0.clone(),
            bandwidth_kbps: self.bandwidth.0,
            credentials: self
                .login
                .as_ref()
                .map(|(name, password)| (name.0.clone(), password.0.clone())),
            client_ip: self.client_ip.map(|ip| ip.to_string()),
        }
    }
}

/// Lists client users, one page at a time, optionally filtered by exact
/// username or email on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeClientUsers {
    pub region_id: String,
    pub smart_ag_id: String,
    pub page_number: Option<u32>,
    pub page_size: Option<u32>,
    pub user_name: Option<String>,
    pub user_mail: Option<String>,
}

impl DescribeClientUsers {
    pub fn page(region_id: &str, smart_ag_id: &str, page_number: u32, page_size: u32) -> Self {
        DescribeClientUsers {
            region_id: region_id.into(),
            smart_ag_id: smart_ag_id.into(),
            page_number: Some(page_number),
            page_size: Some(page_size),
            user_name: None,
            user_mail: None,
        }
    }
}

impl Action for DescribeClientUsers {
    const PRODUCT: Product = Product::Smartag;
    const NAME: &'static str = "DescribeSmartAccessGatewayClientUsers";
    type Response = ClientUserPage;

    fn params(&self) -> Params {
        let mut p = base(&self.region_id, &self.smart_ag_id);
        if let Some(n) = self.page_number {
            p.insert("PageNumber".into(), n.to_string());
        }
        if let Some(n) = self.page_size {
            p.insert("PageSize".into(), n.to_string());
        }
        if let Some(name) = &self.user_name {
            p.insert("UserName".into(), name.clone());
        }
        if let Some(mail) = &self.user_mail {
            p.insert("UserMail".into(), mail.clone());
        }
        p
    }
}

/// Changes a user's bandwidth and/or email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModifyClientUser {
    pub region_id: String,
    pub smart_ag_id: String,
    pub user_name: String,
    pub bandwidth_kbps: Option<u32>,
    pub email: Option<String>,
}

impl Action for ModifyClientUser {
    const PRODUCT: Product = Product::Smartag;
    const NAME: &'static str = "ModifySmartAccessGatewayClientUser";
    type Response = ModifiedClientUser;

    fn params(&self) -> Params {
        let mut p = base(&self.region_id, &self.smart_ag_id);
        p.insert("UserName".into(), self.user_name.clone());
        if let Some(b) = self.bandwidth_kbps {
            p.insert("Bandwidth".into(), b.to_string());
        }
        if let Some(e) = &self.email {
            p.insert("Email".into(), e.clone());
        }
        p
    }
}

/// Resets a user's password; without one the service generates and mails it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetClientUserPassword {
    pub region_id: String,
    pub smart_ag_id: String,
    pub user_name: String,
    pub password: Option<Secret>,
}

impl Action for ResetClientUserPassword {
    const PRODUCT: Product = Product::Smartag;
    const NAME: &'static str = "ResetSmartAccessGatewayClientUserPassword";
    type Response = Ack;

    fn params(&self) -> Params {
        let mut p = base(&self.region_id, &self.smart_ag_id);
        p.insert("UserName".into(), self.user_name.clone());
        if let Some(pw) = &self.password {
            p.insert("Password".into(), pw.expose().to_owned());
        }
        p
    }
}

/// How many clients each named user has online (at most 50 names a call,
/// sent as `UserNames.1` … `UserNames.N`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeUserOnlineClientStatistics {
    pub region_id: String,
    pub smart_ag_id: String,
    pub user_names: Vec<String>,
}

impl DescribeUserOnlineClientStatistics {
    /// One request per batch of at most [`MAX_STATISTICS_NAMES`] names.
    pub fn batches(region_id: &str, smart_ag_id: &str, user_names: &[String]) -> Vec<Self> {
        user_names
            .chunks(MAX_STATISTICS_NAMES)
            .map(|chunk| DescribeUserOnlineClientStatistics {
                region_id: region_id.into(),
                smart_ag_id: smart_ag_id.into(),
                user_names: chunk.to_vec(),
            })
            .collect()
    }
}

impl Action for DescribeUserOnlineClientStatistics {
    const PRODUCT: Product = Product::Smartag;
    const NAME: &'static str = "DescribeUserOnlineClientStatistics";
    type Response = OnlineStatistics;

    fn params(&self) -> Params {
        let mut p = base(&self.region_id, &self.smart_ag_id);
        for (i, name) in self.user_names.iter().enumerate() {
            p.insert(format!("UserNames.{}", i + 1), name.clone());
        }
        p
    }
}

/// Lists SAG instances of a region; with `instance_type = "software"` the SAG
/// App instances, with their client CIDR and user quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeSmartAccessGateways {
    pub region_id: String,
    pub instance_type: Option<String>,
    pub smart_ag_id: Option<String>,
    pub page_number: Option<u32>,
    pub page_size: Option<u32>,
}

impl DescribeSmartAccessGateways {
    /// The SAG App (software) instances of `region_id`, one page.
    pub fn software(region_id: &str, page_number: u32) -> Self {
        DescribeSmartAccessGateways {
            region_id: region_id.into(),
            instance_type: Some("software".into()),
            smart_ag_id: None,
            page_number: Some(page_number),
            page_size: Some(MAX_INSTANCE_PAGE_SIZE),
        }
    }
}

impl Action for DescribeSmartAccessGateways {
    const PRODUCT: Product = Product::Smartag;
    const NAME: &'static str = "DescribeSmartAccessGateways";
    type Response = SagInstancePage;

    fn params(&self) -> Params {
        let mut p = Params::new();
        p.insert("RegionId".into(), self.region_id.clone());
        if let Some(t) = &self.instance_type {
            p.insert("InstanceType".into(), t.clone());
        }
        if let Some(id) = &self.smart_ag_id {
            p.insert("SmartAGId".into(), id.clone());
        }
        if let Some(n) = self.page_number {
            p.insert("PageNumber".into(), n.to_string());
        }
        if let Some(n) = self.page_size {
            p.insert("PageSize".into(), n.to_string());
        }
        p
    }
}

// ---------------------------------------------------------------- responses

/// A response that carries nothing but its `RequestId`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ack {
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub request_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreatedClientUser {
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub request_id: String,
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub user_name: String,
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub user_mail: String,
    #[serde(default, deserialize_with = "lenient::u64_or_string")]
    pub bandwidth: u64,
    #[serde(default, deserialize_with = "lenient::opt_string_lenient")]
    pub client_ip: Option<String>,
}

pub type ModifiedClientUser = CreatedClientUser;

/// Whether a client user may connect. On the wire `State` is 0 (enabled) or 1 (disabled).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, PartialOrd, Ord, Hash,
)]
#[serde(from = "u64", into = "u64")]
pub enum UserState {
    #[default]
    Enabled,
    Disabled,
}

impl From<u64> for UserState {
    fn from(v: u64) -> Self {
        if v == 1 {
            UserState::Disabled
        } else {
            UserState::Enabled
        }
    }
}

impl From<UserState> for u64 {
    fn from(s: UserState) -> Self {
        match s {
            UserState::Enabled => 0,
            UserState::Disabled => 1,
        }
    }
}

/// `State` as 0/1, `"0"`/`"1"` or `false`/`true` (an SDK that turns the
/// number into a flag): 1 and `true` are disabled.
fn state_lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<UserState, D::Error> {
    lenient::flag(d)
        .map(|disabled| UserState::from(u64::from(disabled)))
        .map_err(|e| serde::de::Error::custom(format!("State: {e}")))
}

fn flag_lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    lenient::flag(d).map_err(|e| serde::de::Error::custom(format!("IsStaticIp: {e}")))
}

/// One client user as `DescribeSmartAccessGatewayClientUsers` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientUser {
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub user_name: String,
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub user_mail: String,
    #[serde(default, deserialize_with = "lenient::u64_or_string")]
    pub bandwidth: u64,
    #[serde(default, deserialize_with = "lenient::opt_string_lenient")]
    pub client_ip: Option<String>,
    #[serde(default, deserialize_with = "state_lenient")]
    pub state: UserState,
    #[serde(default, deserialize_with = "flag_lenient")]
    pub is_static_ip: bool,
    #[serde(default, deserialize_with = "lenient::opt_u64_or_string")]
    pub accelerate_bandwidth: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientUserPage {
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub request_id: String,
    #[serde(default, deserialize_with = "lenient::u64_or_string")]
    pub total_count: u64,
    #[serde(default, deserialize_with = "lenient::u64_or_string")]
    pub page_number: u64,
    #[serde(default, deserialize_with = "lenient::u64_or_string")]
    pub page_size: u64,
    #[serde(default, deserialize_with = "lenient::under_user")]
    pub users: Vec<ClientUser>,
}

/// One online client of a user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OnlineClient {
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub client_ip: String,
    /// When the client connected, in Unix seconds.
    #[serde(default, deserialize_with = "lenient::opt_i64_or_string")]
    pub online_time: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OnlineClients {
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub request_id: String,
    #[serde(default, deserialize_with = "lenient::under_user")]
    pub users: Vec<OnlineClient>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserOnlineCount {
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub user_name: String,
    #[serde(default, deserialize_with = "lenient::u64_or_string")]
    pub online_count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OnlineStatistics {
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub request_id: String,
    #[serde(default, deserialize_with = "lenient::under_statistics")]
    pub user_statistics: Vec<UserOnlineCount>,
}

/// One SAG instance; for SAG App instances `cidr_block` is the client CIDR
/// and `user_count` the client-account quota.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SagInstance {
    #[serde(
        rename = "SmartAGId",
        default,
        deserialize_with = "lenient::string_lenient"
    )]
    pub smart_ag_id: String,
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub status: String,
    #[serde(default, deserialize_with = "lenient::opt_string_lenient")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string_lenient")]
    pub cidr_block: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_u64_or_string")]
    pub user_count: Option<u64>,
    #[serde(default, deserialize_with = "lenient::opt_u64_or_string")]
    pub data_plan: Option<u64>,
    #[serde(default, deserialize_with = "lenient::opt_string_lenient")]
    pub max_bandwidth: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64_or_string")]
    pub end_time: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SagInstancePage {
    #[serde(default, deserialize_with = "lenient::string_lenient")]
    pub request_id: String,
    #[serde(default, deserialize_with = "lenient::u64_or_string")]
    pub total_count: u64,
    #[serde(default, deserialize_with = "lenient::u64_or_string")]
    pub page_number: u64,
    #[serde(default, deserialize_with = "lenient::u64_or_string")]
    pub page_size: u64,
    #[serde(default, deserialize_with = "lenient::under_smart_access_gateway")]
    pub smart_access_gateways: Vec<SagInstance>,
}

#[cfg(test)]
mod tests;
