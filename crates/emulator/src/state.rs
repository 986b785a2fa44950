//! The emulated clouds' state: SAG App instances with their client users and
//! online sessions, and CAM sub-users. Serializable for `--state`.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;
use rand::Rng;
use serde::{Deserialize, Serialize};

/// Everything both clouds hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct World {
    pub instances: Vec<Instance>,
    pub cam_users: Vec<CamUser>,
    pub next_uin: u64,
    pub next_uid: u64,
    pub cam_user_quota: usize,
}

/// A SAG App (software) instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub region: String,
    pub name: String,
    pub description: String,
    /// The private CIDR clients get their addresses from.
    pub cidr: String,
    /// How many client accounts the instance may have.
    pub user_quota: u32,
    pub status: String,
    pub created_ms: i64,
    pub end_ms: i64,
    pub users: Vec<ClientUser>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientUser {
    pub user_name: String,
    pub user_mail: String,
    pub bandwidth: u32,
    pub static_ip: Option<String>,
    pub disabled: bool,
    /// A user who used data this billing month cannot be deleted.
    pub used_data_this_month: bool,
    pub sessions: Vec<Session>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub client_ip: String,
    /// Unix seconds.
    pub online_time: i64,
}

/// A CAM sub-user. API key secrets are never stored: like the real service,
/// a `SecretKey` is shown once, at creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CamUser {
    pub uin: u64,
    pub uid: u64,
    pub name: String,
    pub remark: Option<String>,
    pub console_login: bool,
    pub need_reset_password: bool,
    pub phone_num: Option<String>,
    pub country_code: Option<String>,
    pub email: Option<String>,
    pub create_time: String,
    pub api_key_ids: Vec<String>,
    pub recently_login_ip: Option<String>,
    pub recently_login_time: Option<String>,
}

impl World {
    pub fn instance(&self, region: &str, id: &str) -> Option<&Instance> {
        self.instances
            .iter()
            .find(|i| i.id == id && i.region == region)
    }

    pub fn instance_mut(&mut self, region: &str, id: &str) -> Option<&mut Instance> {
        self.instances
            .iter_mut()
            .find(|i| i.id == id && i.region == region)
    }

    pub fn instance_by_id_mut(&mut self, id: &str) -> Option<&mut Instance> {
        self.instances.iter_mut().find(|i| i.id == id)
    }

    pub fn cam_user(&self, name: &str) -> Option<&CamUser> {
        self.cam_users.iter().find(|u| u.name == name)
    }

    /// Online simulation step: idle enabled users come online with
    /// probability `p_on`, online ones leave with probability `p_off`.
    pub fn simulate(&mut self, rng: &mut impl Rng, now: i64, p_on: f64, p_off: f64) {
        for instance in &mut self.instances {
            for i in 0..instance.users.len() {
                let user = &instance.users[i];
                if user.disabled {
                    continue;
                }
                if user.sessions.is_empty() {
                    if rng.gen_bool(p_on) {
                        let ip = instance.session_ip(i);
                        if let Some(ip) = ip {
                            let since = now - rng.gen_range(0..120);
                            let user = &mut instance.users[i];
                            user.sessions.push(Session {
                                client_ip: ip,
                                online_time: since,
                            });
                            user.used_data_this_month = true;
                        }
                    }
                } else if rng.gen_bool(p_off) {
                    instance.users[i].sessions.clear();
                }
            }
        }
    }
}

impl Instance {
    pub fn net(&self) -> Option<Ipv4Net> {
        sag_api::validate::parse_cidr(&self.cidr)
    }

    pub fn user(&self, name: &str) -> Option<&ClientUser> {
        self.users.iter().find(|u| u.user_name == name)
    }

    pub fn user_mut(&mut self, name: &str) -> Option<&mut ClientUser> {
        self.users.iter_mut().find(|u| u.user_name == name)
    }

    /// Whether `ip` is a user's static IP or in use by a session.
    pub fn ip_taken(&self, ip: &str) -> bool {
        self.users.iter().any(|u| {
            u.static_ip.as_deref() == Some(ip) || u.sessions.iter().any(|s| s.client_ip == ip)
        })
    }

    /// The address a new session of user `index` gets: its static IP, or the
    /// first free address of the CIDR.
    pub fn session_ip(&self, index: usize) -> Option<String> {
        if let Some(ip) = &self.users[index].static_ip {
            return Some(ip.clone());
        }
        let net = self.net()?;
        let (first, last) = sag_api::validate::usable_range(&net);
        (u32::from(first)..=u32::from(last))
            .map(|n| Ipv4Addr::from(n).to_string())
            .find(|candidate| !self.ip_taken(candidate))
    }
}
