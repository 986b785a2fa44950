//! The `demo`, `empty` and `big:N` seeds.

use std::fmt;
use std::str::FromStr;

use crate::state::{CamUser, ClientUser, Instance, Session, World};

/// Which initial state to load: `demo`, `empty`, or `big:N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    /// Three SAG App instances (two in cn-shanghai, one in ap-southeast-1),
    /// 120 users on the first, a handful online, a dozen CAM users.
    Demo,
    /// No instances and no users (the instance list is empty).
    Empty,
    /// The demo data plus `sag-app-big01` "Big Office" in cn-shanghai with N
    /// users (about 5% online, every 7th with a static IP, every 11th
    /// disabled), for measuring the console at scale.
    Big(u32),
}

/// The most users `big:N` makes.
pub const BIG_MAX: u32 = 100_000;

impl FromStr for Seed {
    type Err = String;

    fn from_str(text: &str) -> Result<Seed, String> {
        match text {
            "demo" => Ok(Seed::Demo),
            "empty" => Ok(Seed::Empty),
            _ => {
                let n = text
                    .strip_prefix("big:")
                    .and_then(|n| n.parse::<u32>().ok())
                    .filter(|n| (1..=BIG_MAX).contains(n))
                    .ok_or_else(|| {
                        format!("unknown seed {text:?}: use demo, empty or big:N (N from 1 to {BIG_MAX})")
                    })?;
                Ok(Seed::Big(n))
            }
        }
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seed::Demo => f.write_str("demo"),
            Seed::Empty => f.write_str("empty"),
            Seed::Big(n) => write!(f, "big:{n}"),
        }
    }
}

impl serde::Serialize for Seed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Seed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Seed, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// `big:N`'s instance: names `<first>.<last><NNNNN>`, a /16 client CIDR.
fn big_instance_users(count: u32, now: i64) -> Vec<ClientUser> {
    (0..count as usize)
        .map(|i| {
            let first = FIRST[i % FIRST.len()];
            let last = LAST[(i / FIRST.len()) % LAST.len()];
            let disabled = i % 11 == 5;
            let static_ip =
                (i % 7 == 3).then(|| format!("10.20.{}.{}", 1 + i / 250 % 99, 1 + i % 250));
            // About 5% online, on addresses apart from the static ones.
            let sessions = if i % 20 == 7 && !disabled {
                vec![Session {
                    client_ip: static_ip.clone().unwrap_or_else(|| {
                        format!("10.20.{}.{}", 128 + i / 250 % 127, 1 + i % 250)
                    }),
                    online_time: now - 300 - (i as i64 % 3600),
                }]
            } else {
                Vec::new()
            };
            ClientUser {
                user_name: format!("{first}.{last}{i:05}"),
                user_mail: format!("{first}.{last}{i:05}@big.example.com"),
                bandwidth: BANDWIDTHS[i % BANDWIDTHS.len()],
                static_ip,
                disabled,
                used_data_this_month: i % 4 == 0,
                sessions,
            }
        })
        .collect()
}

const FIRST: &[&str] = &[
    "alice", "bob", "carol", "david", "emma", "frank", "grace", "henry", "irene", "jack", "kate",
    "liam", "mia", "noah", "olivia", "peter", "quinn", "rosa", "sam", "tina",
];
const LAST: &[&str] = &["wang", "li", "zhang", "chen", "liu", "yang"];
const BANDWIDTHS: &[u32] = &[512, 1000, 2000, 2000, 4000, 10000];

fn demo_users(count: usize, domain: &str, static_prefix: Option<&str>) -> Vec<ClientUser> {
    (0..count)
        .map(|i| {
            let first = FIRST[i % FIRST.len()];
            let last = LAST[(i / FIRST.len()) % LAST.len()];
            let name = format!("{first}.{last}{:02}", i % 100);
            ClientUser {
                user_mail: format!("{first}.{last}{:02}@{domain}", i % 100),
                user_name: name,
                bandwidth: BANDWIDTHS[i % BANDWIDTHS.len()],
                static_ip: static_prefix
                    .filter(|_| i % 7 == 3)
                    .map(|p| format!("{p}.{}", 10 + i)),
                disabled: i % 11 == 5,
                used_data_this_month: i % 4 == 0,
                sessions: Vec::new(),
            }
        })
        .collect()
}

/// Builds the initial world; `now` is Unix seconds (for online times).
pub fn world(seed: Seed, now: i64) -> World {
    let mut world = World {
        next_uin: 100_000_001,
        next_uid: 200_000_001,
        cam_user_quota: 1000,
        ..World::default()
    };
    if seed == Seed::Empty {
        return world;
    }
    let created_ms = (now - 400 * 86_400) * 1000;
    let end_ms = (now + 300 * 86_400) * 1000;
    let instance =
        |id: &str, region: &str, name: &str, cidr: &str, quota: u32, users: Vec<ClientUser>| {
            Instance {
                id: id.into(),
                region: region.into(),
                name: name.into(),
                description: format!("{name} staff access"),
                cidr: cidr.into(),
                user_quota: quota,
                status: "Active".into(),
                created_ms,
                end_ms,
                users,
            }
        };
    world.instances = vec![
        instance(
            "sag-app-hq01",
            "cn-shanghai",
            "Shanghai HQ",
            "10.10.0.0/20",
            200,
            demo_users(120, "example.com", Some("10.10.1")),
        ),
        instance(
            "sag-app-lab02",
            "cn-shanghai",
            "Shanghai Lab",
            "172.16.8.0/24",
            12,
            demo_users(8, "lab.example.com", Some("172.16.8")),
        ),
        instance(
            "sag-app-sg01",
            "ap-southeast-1",
            "Singapore Office",
            "192.168.100.0/24",
            50,
            demo_users(14, "sg.example.com", None),
        ),
    ];
    // A handful online from the start, deterministic.
    for instance in &mut world.instances {
        let online: Vec<usize> = (0..instance.users.len())
            .filter(|i| i % 17 == 2 && !instance.users[*i].disabled)
            .collect();
        for (n, i) in online.into_iter().enumerate() {
            if let Some(ip) = instance.session_ip(i) {
                let user = &mut instance.users[i];
                user.sessions.push(Session {
                    client_ip: ip,
                    online_time: now - 600 - 137 * n as i64,
                });
                user.used_data_this_month = true;
            }
        }
    }
    if let Seed::Big(n) = seed {
        let mut big = instance(
            "sag-app-big01",
            "cn-shanghai",
            "Big Office",
            "10.20.0.0/16",
            n.max(2000),
            big_instance_users(n, now),
        );
        for u in big.users.iter_mut().filter(|u| !u.sessions.is_empty()) {
            u.used_data_this_month = true;
        }
        world.instances.push(big);
    }
    let cam = [
        (
            "ops-admin",
            Some("Operations lead"),
            true,
            Some(("86", "13800138000")),
            Some("ops@example.com"),
            1,
        ),
        ("deploy-bot", Some("CI deploy key"), false, None, None, 1),
        (
            "alice01",
            Some("Network team"),
            true,
            None,
            Some("alice@example.com"),
            0,
        ),
        (
            "bob.smith",
            None,
            true,
            Some(("1", "4155550100")),
            Some("bob@example.com"),
            0,
        ),
        ("carol_ops", Some("Night shift"), true, None, None, 0),
        ("backup-agent", Some("Backups"), false, None, None, 2),
        (
            "dave.audit",
            Some("Read-only auditor"),
            true,
            None,
            Some("dave@example.com"),
            0,
        ),
        ("erin", None, true, None, None, 0),
        (
            "frank.billing",
            Some("Finance"),
            true,
            None,
            Some("frank@example.com"),
            0,
        ),
        (
            "monitoring",
            Some("Prometheus exporter"),
            false,
            None,
            None,
            1,
        ),
        (
            "grace.dev",
            Some("Developer"),
            true,
            Some(("86", "13900139000")),
            None,
            0,
        ),
        (
            "henry-contractor",
            Some("Until 2027-03"),
            true,
            None,
            Some("henry@contractor.example"),
            0,
        ),
    ];
    for (n, (name, remark, console_login, phone, email, keys)) in cam.into_iter().enumerate() {
        let uin = world.next_uin;
        let uid = world.next_uid;
        world.next_uin += 1;
        world.next_uid += 1;
        world.cam_users.push(CamUser {
            uin,
            uid,
            name: name.into(),
            remark: remark.map(Into::into),
            console_login,
            need_reset_password: false,
            phone_num: phone.map(|p| p.1.into()),
            country_code: phone.map(|p| p.0.into()),
            email: email.map(Into::into),
            create_time: format!("2025-0{}-1{} 09:3{}:00", 1 + n % 9, n % 10, n % 10),
            api_key_ids: (0..keys)
                .map(|k| format!("AKIDdemo{name}{k}").replace(['-', '.', '_'], ""))
                .collect(),
            recently_login_ip: console_login.then(|| format!("203.0.113.{}", 10 + n)),
            recently_login_time: console_login.then(|| "2026-11-20 08:15:00".to_owned()),
        });
    }
    world
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_users_follow_the_vendor_rules_and_are_unique() {
        let demo = world(Seed::Demo, 1_800_000_000);
        assert_eq!(demo.instances.len(), 3);
        assert_eq!(demo.instances[0].users.len(), 120);
        assert_eq!(demo.cam_users.len(), 12);
        for instance in &demo.instances {
            let net = instance.net().expect("valid CIDR");
            let mut names: Vec<&str> = instance
                .users
                .iter()
                .map(|u| u.user_name.as_str())
                .collect();
            names.sort();
            names.dedup();
            assert_eq!(
                names.len(),
                instance.users.len(),
                "unique names on {}",
                instance.id
            );
            for user in &instance.users {
                sag_api::validate::user_name(&user.user_name).unwrap();
                sag_api::validate::email(&user.user_mail).unwrap();
                if let Some(ip) = &user.static_ip {
                    sag_api::validate::client_ip(ip, Some(&net)).unwrap();
                }
            }
            let online = instance
                .users
                .iter()
                .filter(|u| !u.sessions.is_empty())
                .count();
            assert!(
                (1..=8).contains(&online),
                "{online} online on {}",
                instance.id
            );
        }
        assert!(world(Seed::Empty, 0).instances.is_empty());
        let big = world(Seed::Big(2000), 1_800_000_000);
        let office = big
            .instance("cn-shanghai", "sag-app-big01")
            .expect("the big instance");
        assert_eq!(office.users.len(), 2000);
        let online = office
            .users
            .iter()
            .filter(|u| !u.sessions.is_empty())
            .count();
        assert!((80..=120).contains(&online), "about 5% online: {online}");
        let names: std::collections::HashSet<&str> =
            office.users.iter().map(|u| u.user_name.as_str()).collect();
        assert_eq!(names.len(), 2000, "names are unique");
        let ips: Vec<&str> = office
            .users
            .iter()
            .flat_map(|u| {
                u.static_ip
                    .iter()
                    .map(String::as_str)
                    .chain(u.sessions.iter().map(|s| s.client_ip.as_str()))
            })
            .collect();
        let net = sag_api::validate::parse_cidr(&office.cidr).unwrap();
        assert!(ips
            .iter()
            .all(|ip| net.contains(&ip.parse::<std::net::Ipv4Addr>().unwrap())));
        assert_eq!(big.instances.len(), 4, "the demo data stays");
        assert_eq!("big:10000".parse::<Seed>(), Ok(Seed::Big(10_000)));
        assert_eq!(Seed::Big(7).to_string(), "big:7");
        assert!("big:0".parse::<Seed>().is_err());
        assert!("huge"
            .parse::<Seed>()
            .unwrap_err()
            .contains("demo, empty or big:N"));
    }
}
