//! Typed Smartag (`2018-03-13`) actions for SAG App client users.
//!
//! Each request type turns into exactly the parameters the official SDKs
//! send; each response type decodes leniently (see [`crate::lenient`]).

use std::net::Ipv4Addr;

use crate::json::Value;

use crate::action::{Action, Product};
use crate::lenient::{Fields, FromJson};
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreatedClientUser {
    pub request_id: String,
    pub user_name: String,
    pub user_mail: String,
    pub bandwidth: u64,
    pub client_ip: Option<String>,
}

impl FromJson for CreatedClientUser {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(CreatedClientUser {
            request_id: f.string("RequestId")?,
            user_name: f.string("UserName")?,
            user_mail: f.string("UserMail")?,
            bandwidth: f.u64("Bandwidth")?,
            client_ip: f.opt_string("ClientIp")?,
        })
    }
}

pub type ModifiedClientUser = CreatedClientUser;

/// Whether a client user may connect. On the wire `State` is 0 (enabled) or 1 (disabled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash)]
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

/// One client user as `DescribeSmartAccessGatewayClientUsers` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientUser {
    pub user_name: String,
    pub user_mail: String,
    pub bandwidth: u64,
    pub client_ip: Option<String>,
    pub state: UserState,
    pub is_static_ip: bool,
    pub accelerate_bandwidth: Option<u64>,
}

impl FromJson for ClientUser {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(ClientUser {
            user_name: f.string("UserName")?,
            user_mail: f.string("UserMail")?,
            bandwidth: f.u64("Bandwidth")?,
            client_ip: f.opt_string("ClientIp")?,
            // 0/1, "0"/"1" or false/true (an SDK that turns the number into
            // a flag): 1 and true are disabled.
            state: UserState::from(u64::from(f.flag("State")?)),
            is_static_ip: f.flag("IsStaticIp")?,
            accelerate_bandwidth: f.opt_u64("AccelerateBandwidth")?,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientUserPage {
    pub request_id: String,
    pub total_count: u64,
    pub page_number: u64,
    pub page_size: u64,
    pub users: Vec<ClientUser>,
}

impl FromJson for ClientUserPage {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(ClientUserPage {
            request_id: f.string("RequestId")?,
            total_count: f.u64("TotalCount")?,
            page_number: f.u64("PageNumber")?,
            page_size: f.u64("PageSize")?,
            users: f.wrapped("Users", "User")?,
        })
    }
}

/// One online client of a user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnlineClient {
    pub client_ip: String,
    /// When the client connected, in Unix seconds.
    pub online_time: Option<i64>,
}

impl FromJson for OnlineClient {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(OnlineClient {
            client_ip: f.string("ClientIp")?,
            online_time: f.opt_i64("OnlineTime")?,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnlineClients {
    pub request_id: String,
    pub users: Vec<OnlineClient>,
}

impl FromJson for OnlineClients {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(OnlineClients {
            request_id: f.string("RequestId")?,
            users: f.wrapped("Users", "User")?,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserOnlineCount {
    pub user_name: String,
    pub online_count: u64,
}

impl FromJson for UserOnlineCount {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(UserOnlineCount {
            user_name: f.string("UserName")?,
            online_count: f.u64("OnlineCount")?,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnlineStatistics {
    pub request_id: String,
    pub user_statistics: Vec<UserOnlineCount>,
}

impl FromJson for OnlineStatistics {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(OnlineStatistics {
            request_id: f.string("RequestId")?,
            user_statistics: f.wrapped("UserStatistics", "Statistics")?,
        })
    }
}

/// One SAG instance; for SAG App instances `cidr_block` is the client CIDR
/// and `user_count` the client-account quota.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SagInstance {
    pub smart_ag_id: String,
    pub name: String,
    pub status: String,
    pub description: Option<String>,
    pub cidr_block: Option<String>,
    pub user_count: Option<u64>,
    pub data_plan: Option<u64>,
    pub max_bandwidth: Option<String>,
    pub end_time: Option<i64>,
}

impl FromJson for SagInstance {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(SagInstance {
            smart_ag_id: f.string("SmartAGId")?,
            name: f.string("Name")?,
            status: f.string("Status")?,
            description: f.opt_string("Description")?,
            cidr_block: f.opt_string("CidrBlock")?,
            user_count: f.opt_u64("UserCount")?,
            data_plan: f.opt_u64("DataPlan")?,
            max_bandwidth: f.opt_string("MaxBandwidth")?,
            end_time: f.opt_i64("EndTime")?,
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SagInstancePage {
    pub request_id: String,
    pub total_count: u64,
    pub page_number: u64,
    pub page_size: u64,
    pub smart_access_gateways: Vec<SagInstance>,
}

impl FromJson for SagInstancePage {
    fn from_json(value: &Value) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(SagInstancePage {
            request_id: f.string("RequestId")?,
            total_count: f.u64("TotalCount")?,
            page_number: f.u64("PageNumber")?,
            page_size: f.u64("PageSize")?,
            smart_access_gateways: f.wrapped("SmartAccessGateways", "SmartAccessGateway")?,
        })
    }
}

#[cfg(test)]
mod tests;
