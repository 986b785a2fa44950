//! Every Smartag action, its paging and its documented error codes.

use sag_api::request::Placement;
use sag_api::secret::Secret;
use sag_api::smartag::*;
use serde_json::json;

use crate::support::{code, Env};

const R: &str = "cn-shanghai";
const HQ: &str = "sag-app-hq01";
const LAB: &str = "sag-app-lab02";

fn create(mail: &str, name: Option<(&str, &str)>, ip: Option<&str>) -> CreateClientUser {
    CreateClientUser {
        region_id: R.into(),
        smart_ag_id: HQ.into(),
        user_mail: mail.into(),
        bandwidth_kbps: 2000,
        credentials: name.map(|(n, p)| (n.to_owned(), Secret::new(p))),
        client_ip: ip.map(Into::into),
    }
}

async fn all_users(env: &Env, id: &str, page_size: u32) -> (Vec<ClientUser>, u64, usize) {
    let mut users = Vec::new();
    let mut page = 1;
    loop {
        let resp = env
            .call(&DescribeClientUsers::page(R, id, page, page_size))
            .await
            .unwrap();
        let got = resp.users.len();
        users.extend(resp.users);
        if got == 0 || users.len() as u64 >= resp.total_count {
            return (users, resp.total_count, page as usize);
        }
        page += 1;
    }
}

#[tokio::test]
async fn lists_software_instances_per_region_with_cidr_and_quota() {
    let env = Env::start().await;
    let page = env
        .call(&DescribeSmartAccessGateways::software(R, 1))
        .await
        .unwrap();
    assert_eq!(page.total_count, 2);
    let hq = page
        .smart_access_gateways
        .iter()
        .find(|i| i.smart_ag_id == HQ)
        .unwrap();
    assert_eq!(hq.cidr_block.as_deref(), Some("10.10.0.0/20"));
    assert_eq!(hq.user_count, Some(200));
    let sg = env
        .call(&DescribeSmartAccessGateways::software("ap-southeast-1", 1))
        .await
        .unwrap();
    assert_eq!(sg.smart_access_gateways.len(), 1);
    let none = env
        .call(&DescribeSmartAccessGateways::software("eu-central-1", 1))
        .await
        .unwrap();
    assert_eq!(none.total_count, 0);
}

#[tokio::test]
async fn pages_through_every_user_with_default_and_maximum_page_sizes() {
    let env = Env::start().await;
    let first = env
        .call(&DescribeClientUsers {
            page_number: None,
            page_size: None,
            ..DescribeClientUsers::page(R, HQ, 1, 1)
        })
        .await
        .unwrap();
    assert_eq!(
        (
            first.page_number,
            first.page_size,
            first.users.len(),
            first.total_count
        ),
        (1, 10, 10, 120)
    );
    let (users, total, pages) = all_users(&env, HQ, 50).await;
    assert_eq!((users.len(), total, pages), (120, 120, 3));
    let mut names: Vec<_> = users.iter().map(|u| u.user_name.clone()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 120, "no user twice across pages");
    let clamped = env
        .call(&DescribeClientUsers::page(R, HQ, 1, 500))
        .await
        .unwrap();
    assert_eq!((clamped.page_size, clamped.users.len()), (100, 100));
    let beyond = env
        .call(&DescribeClientUsers::page(R, HQ, 9, 100))
        .await
        .unwrap();
    assert!(beyond.users.is_empty());
    assert_eq!(beyond.total_count, 120);
}

#[tokio::test]
async fn filters_by_exact_user_name_and_mail() {
    let env = Env::start().await;
    let mut by_name = DescribeClientUsers::page(R, HQ, 1, 10);
    by_name.user_name = Some("alice.wang00".into());
    let found = env.call(&by_name).await.unwrap();
    assert_eq!(found.total_count, 1);
    assert_eq!(found.users[0].user_mail, "alice.wang00@example.com");
    let mut by_mail = DescribeClientUsers::page(R, HQ, 1, 10);
    by_mail.user_mail = Some("bob.wang01@example.com".into());
    assert_eq!(
        env.call(&by_mail).await.unwrap().users[0].user_name,
        "bob.wang01"
    );
    by_mail.user_mail = Some("nobody@example.com".into());
    assert_eq!(env.call(&by_mail).await.unwrap().total_count, 0);
}

#[tokio::test]
async fn creates_users_with_and_without_credentials_and_static_ip() {
    let env = Env::start().await;
    let created = env
        .call(&create(
            "new.user@example.com",
            Some(("new.user01", "Passw0rd_1")),
            Some("10.10.9.9"),
        ))
        .await
        .unwrap();
    assert_eq!(
        (
            created.user_name.as_str(),
            created.bandwidth,
            created.client_ip.as_deref()
        ),
        ("new.user01", 2000, Some("10.10.9.9"))
    );
    let mut filter = DescribeClientUsers::page(R, HQ, 1, 10);
    filter.user_name = Some("new.user01".into());
    let listed = &env.call(&filter).await.unwrap().users[0];
    assert!(listed.is_static_ip);
    assert_eq!(listed.state, UserState::Enabled);
    // Without credentials the email becomes the username.
    let auto = env
        .call(&create("auto@example.com", None, None))
        .await
        .unwrap();
    assert_eq!(auto.user_name, "auto@example.com");
    assert_eq!(auto.client_ip, None);
    assert_eq!(
        env.call(&DescribeClientUsers::page(R, HQ, 1, 1))
            .await
            .unwrap()
            .total_count,
        122
    );
}

#[tokio::test]
async fn create_refuses_with_the_documented_codes() {
    let env = Env::start().await;
    let cases: Vec<(CreateClientUser, &str)> = vec![
        (
            create(
                "alice.wang00@example.com",
                Some(("alice.wang00", "Passw0rd_1")),
                None,
            ),
            "ClientUser.UserExist",
        ),
        (
            CreateClientUser {
                bandwidth_kbps: 0,
                ..create("a@example.com", None, None)
            },
            "ClientUser.BandwidthInvalid",
        ),
        (
            CreateClientUser {
                bandwidth_kbps: 20001,
                ..create("a@example.com", None, None)
            },
            "ClientUser.BandwidthInvalid",
        ),
        (
            create("not-an-email", None, None),
            "ClientUser.EmailInvalid",
        ),
        (create("", None, None), "ClientUser.EmailEmpty"),
        (
            create("a@example.com", Some(("bad name!", "Passw0rd_1")), None),
            "ClientUser.NameInvalid",
        ),
        (
            create("a@example.com", Some(("", "Passw0rd_1")), None),
            "ClientUser.NameEmpty",
        ),
        (
            create("a@example.com", Some(("good.name1", "bad pass")), None),
            "ClientUser.PasswordInvalid",
        ),
        (
            create("a@example.com", None, Some("10.20.0.5")),
            "ClientUser.IpInvalid",
        ),
        (
            create("a@example.com", None, Some("10.10.0.0")),
            "ClientUser.IpInvalid",
        ),
        (
            create("a@example.com", None, Some("10.10.1.13")),
            "ClientUser.IpInvalid",
        ),
        (
            create("a@example.com", None, Some("ten.ten")),
            "ClientUser.InvalidClientIp",
        ),
        (
            CreateClientUser {
                smart_ag_id: "sag-nope".into(),
                ..create("a@example.com", None, None)
            },
            "SAG.InstanceNoFound",
        ),
        (
            CreateClientUser {
                region_id: "ap-southeast-1".into(),
                ..create("a@example.com", None, None)
            },
            "SAG.InstanceNoFound",
        ),
        (
            CreateClientUser {
                smart_ag_id: "".into(),
                ..create("a@example.com", None, None)
            },
            "SAG.InstanceIdEmpty",
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(code(env.call(&request).await), expected, "{request:?}");
    }
    // 10.10.1.13 is the static IP of a demo user: taken.
    assert_eq!(
        env.call(&DescribeClientUsers::page(R, HQ, 1, 1))
            .await
            .unwrap()
            .total_count,
        120,
        "nothing was created"
    );
}

#[tokio::test]
async fn create_refuses_past_the_quota() {
    let env = Env::start().await;
    let lab = |i: usize| CreateClientUser {
        smart_ag_id: LAB.into(),
        ..create(&format!("q{i}@lab.example.com"), None, None)
    };
    for i in 0..4 {
        env.call(&lab(i)).await.unwrap();
    }
    let e = env.call(&lab(4)).await.unwrap_err();
    assert_eq!(e.code(), Some("ClientUser.UserOverLimit"));
    assert_eq!(e.http_status(), Some(400));
}

#[tokio::test]
async fn modify_reset_enable_disable() {
    let env = Env::start().await;
    let user = "carol.wang02";
    let modified = env
        .call(&ModifyClientUser {
            region_id: R.into(),
            smart_ag_id: HQ.into(),
            user_name: user.into(),
            bandwidth_kbps: Some(777),
            email: Some("carol.new@example.com".into()),
        })
        .await
        .unwrap();
    assert_eq!(
        (modified.bandwidth, modified.user_mail.as_str()),
        (777, "carol.new@example.com")
    );
    let bad = ModifyClientUser {
        region_id: R.into(),
        smart_ag_id: HQ.into(),
        user_name: user.into(),
        bandwidth_kbps: Some(0),
        email: None,
    };
    assert_eq!(code(env.call(&bad).await), "ClientUser.BandwidthInvalid");
    let reset = ResetClientUserPassword {
        region_id: R.into(),
        smart_ag_id: HQ.into(),
        user_name: user.into(),
        password: Some(Secret::new("NewPassw0rd")),
    };
    env.call(&reset).await.unwrap();
    let bad_reset = ResetClientUserPassword {
        password: Some(Secret::new("x")),
        ..reset
    };
    assert_eq!(
        code(env.call(&bad_reset).await),
        "ClientUser.PasswordInvalid"
    );

    env.call(&DisableUser::new(R, HQ, user)).await.unwrap();
    let mut filter = DescribeClientUsers::page(R, HQ, 1, 10);
    filter.user_name = Some(user.into());
    assert_eq!(
        env.call(&filter).await.unwrap().users[0].state,
        UserState::Disabled
    );
    env.call(&EnableUser::new(R, HQ, user)).await.unwrap();
    assert_eq!(
        env.call(&filter).await.unwrap().users[0].state,
        UserState::Enabled
    );
    assert_eq!(
        code(env.call(&EnableUser::new(R, HQ, "ghost.user1")).await),
        "ClientUser.NameInvalid"
    );
    assert_eq!(
        code(env.call(&EnableUser::new(R, HQ, "")).await),
        "ClientUser.NameEmpty"
    );
}

#[tokio::test]
async fn delete_removes_a_fresh_user_and_refuses_one_that_used_data() {
    let env = Env::start().await;
    env.call(&create(
        "temp@example.com",
        Some(("temp.user01", "Passw0rd_1")),
        None,
    ))
    .await
    .unwrap();
    env.call(&DeleteClientUser::new(R, HQ, "temp.user01"))
        .await
        .unwrap();
    assert_eq!(
        code(env.call(&DeleteClientUser::new(R, HQ, "temp.user01")).await),
        "ClientUser.NameInvalid"
    );
    // Demo users with index % 4 == 0 used data this month.
    let e = env
        .call(&DeleteClientUser::new(R, HQ, "alice.wang00"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("ClientUser.UserInUsing"));
    // In use: the console words it (users.in_use: "Disable the user instead").
    assert_eq!(e.kind(), sag_api::ErrorKind::InUse);
    env.call(&DisableUser::new(R, HQ, "alice.wang00"))
        .await
        .unwrap();
    // The control endpoint can clear the usage (a new billing month).
    let (status, _) = env
        .control(
            "POST",
            "usage",
            json!({"smart_ag_id": HQ, "user_name": "alice.wang00", "used": false}),
        )
        .await;
    assert_eq!(status, 200);
    env.call(&DeleteClientUser::new(R, HQ, "alice.wang00"))
        .await
        .unwrap();
}

#[tokio::test]
async fn online_statistics_and_clients_agree_and_kick_takes_clients_offline() {
    let env = Env::start().await;
    let user = "grace.wang06";
    let (status, body) = env
        .control(
            "POST",
            "online",
            json!({"smart_ag_id": HQ, "user_name": user, "online_time": 1_700_000_000}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    env.control(
        "POST",
        "online",
        json!({"smart_ag_id": HQ, "user_name": user, "client_ip": "10.10.7.7"}),
    )
    .await;

    let (users, _, _) = all_users(&env, HQ, 100).await;
    let names: Vec<String> = users.iter().map(|u| u.user_name.clone()).collect();
    let mut online = std::collections::BTreeMap::new();
    for batch in DescribeUserOnlineClientStatistics::batches(R, HQ, &names) {
        assert!(batch.user_names.len() <= 50);
        for s in env.call(&batch).await.unwrap().user_statistics {
            online.insert(s.user_name, s.online_count);
        }
    }
    assert_eq!(online.len(), 120);
    assert_eq!(online[user], 2);
    for (name, count) in &online {
        let clients = env
            .call(&DescribeUserOnlineClients {
                region_id: R.into(),
                smart_ag_id: HQ.into(),
                user_name: name.clone(),
            })
            .await
            .unwrap();
        assert_eq!(
            clients.users.len() as u64,
            *count,
            "{name}: statistics and clients agree"
        );
    }
    let clients = env
        .call(&DescribeUserOnlineClients {
            region_id: R.into(),
            smart_ag_id: HQ.into(),
            user_name: user.into(),
        })
        .await
        .unwrap();
    assert_eq!(clients.users[0].online_time, Some(1_700_000_000));
    assert_eq!(clients.users[1].client_ip, "10.10.7.7");

    env.call(&KickOutClients::new(R, HQ, user)).await.unwrap();
    let after = env
        .call(&DescribeUserOnlineClients {
            region_id: R.into(),
            smart_ag_id: HQ.into(),
            user_name: user.into(),
        })
        .await
        .unwrap();
    assert!(after.users.is_empty());

    let too_many = DescribeUserOnlineClientStatistics {
        region_id: R.into(),
        smart_ag_id: HQ.into(),
        user_names: names[..51].to_vec(),
    };
    assert_eq!(code(env.call(&too_many).await), "InvalidParameter");
}

#[tokio::test]
async fn kick_out_takes_username_with_a_lower_case_n() {
    let env = Env::start().await;
    // A request with `UserName` instead of `Username` is refused, as the vendor does.
    struct WrongKick;
    impl sag_api::Action for WrongKick {
        const PRODUCT: sag_api::request::Product = sag_api::request::Product::Smartag;
        const NAME: &'static str = "KickOutClients";
        type Response = Ack;
        fn params(&self) -> sag_api::Params {
            [
                ("RegionId", R),
                ("SmartAGId", HQ),
                ("UserName", "grace.wang06"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
        }
    }
    assert_eq!(code(env.call(&WrongKick).await), "ClientUser.NameEmpty");
}

#[tokio::test]
async fn every_placement_and_any_path_prefix_is_accepted() {
    let mut env = Env::start().await;
    for prefix in ["/", "/api/aliyun/cn-shanghai/", "/some/other/prefix"] {
        env.prefix = prefix.into();
        for placement in [
            Placement::GetQuery,
            Placement::PostQuery,
            Placement::PostSplit,
            Placement::PostForm,
        ] {
            let page = env
                .call_placed(&DescribeClientUsers::page(R, HQ, 2, 7), placement)
                .await;
            let page = page.unwrap_or_else(|e| panic!("{prefix} {placement:?}: {e:?}"));
            assert_eq!((page.page_number, page.users.len()), (2, 7));
        }
    }
}

#[tokio::test]
async fn format_xml_answers_in_xml() {
    let env = Env::start().await;
    struct XmlList;
    impl sag_api::Action for XmlList {
        const PRODUCT: sag_api::request::Product = sag_api::request::Product::Smartag;
        const NAME: &'static str = "DescribeSmartAccessGatewayClientUsers";
        type Response = Ack;
        fn params(&self) -> sag_api::Params {
            [("RegionId", R), ("SmartAGId", HQ), ("PageSize", "2")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        }
    }
    // Re-signed with Format=XML, as a client asking for XML would.
    let request = crate::support::resigned_with(
        sag_api::request::prepare(
            &XmlList,
            &env.aliyun,
            &crate::support::stamp(),
            &env.profile,
        ),
        "Format",
        "XML",
    );
    let (status, body) = env.send_raw(&request).await;
    assert_eq!(status, 200);
    assert!(body.starts_with("<?xml"), "{body}");
    assert!(body.contains("<DescribeSmartAccessGatewayClientUsersResponse>"));
    assert!(
        body.contains("<Users><User>")
            && body.contains("<UserName>alice.wang00</UserName></User><User>"),
        "{body}"
    );
}

#[tokio::test]
async fn unknown_action_and_version() {
    let env = Env::start().await;
    struct Nope;
    impl sag_api::Action for Nope {
        const PRODUCT: sag_api::request::Product = sag_api::request::Product::Smartag;
        const NAME: &'static str = "DescribeNothing";
        type Response = Ack;
        fn params(&self) -> sag_api::Params {
            sag_api::Params::new()
        }
    }
    let e = env.call(&Nope).await.unwrap_err();
    assert_eq!(
        (e.code(), e.http_status()),
        (Some("InvalidAction.NotFound"), Some(404))
    );
}

#[tokio::test]
async fn a_page_cap_serves_fewer_users_than_asked_and_says_so() {
    let env = Env::with(cloud_emulator::Config {
        user_page_cap: Some(30),
        ..crate::support::config()
    })
    .await;
    let page = env
        .call(&DescribeClientUsers::page(R, HQ, 1, 100))
        .await
        .unwrap();
    assert_eq!(page.users.len(), 30);
    assert_eq!(page.page_size, 30, "the capped size is answered");
    assert_eq!(page.total_count, 120);
    let last = env
        .call(&DescribeClientUsers::page(R, HQ, 4, 100))
        .await
        .unwrap();
    assert_eq!(last.users.len(), 30, "page 4 of 30 is the last full one");
}
