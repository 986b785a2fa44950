use super::*;

/// A response read from its JSON text, as `decode` reads the payload.
fn parse<T: FromJson>(body: &str) -> Result<T, String> {
    T::from_json(&crate::json::parse(body).map_err(|e| e.to_string())?)
}

fn params_of(action: &impl Action) -> Vec<(String, String)> {
    action.params().into_iter().collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = list
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    v.sort();
    v
}

#[test]
fn create_sends_exactly_the_sdk_parameters() {
    let full = CreateClientUser {
        region_id: "cn-shanghai".into(),
        smart_ag_id: "sag-1".into(),
        user_mail: "alice@example.com".into(),
        bandwidth_kbps: 2000,
        credentials: Some(("alice.wang01".into(), Secret::new("Passw0rd_2024"))),
        client_ip: Some("10.0.0.7".into()),
    };
    assert_eq!(
        params_of(&full),
        pairs(&[
            ("Bandwidth", "2000"),
            ("ClientIp", "10.0.0.7"),
            ("Password", "Passw0rd_2024"),
            ("RegionId", "cn-shanghai"),
            ("SmartAGId", "sag-1"),
            ("UserMail", "alice@example.com"),
            ("UserName", "alice.wang01"),
        ])
    );
    let minimal = CreateClientUser {
        credentials: None,
        client_ip: None,
        ..full
    };
    assert_eq!(
        params_of(&minimal),
        pairs(&[
            ("Bandwidth", "2000"),
            ("RegionId", "cn-shanghai"),
            ("SmartAGId", "sag-1"),
            ("UserMail", "alice@example.com"),
        ])
    );
    assert_eq!(CreateClientUser::NAME, "CreateSmartAccessGatewayClientUser");
}

#[test]
fn single_user_actions_name_the_user_with_the_right_key() {
    let expect = |p: Vec<(String, String)>, key: &str| {
        assert_eq!(
            p,
            pairs(&[("RegionId", "r"), ("SmartAGId", "s"), (key, "u")])
        );
    };
    expect(params_of(&DeleteClientUser::new("r", "s", "u")), "UserName");
    expect(params_of(&EnableUser::new("r", "s", "u")), "UserName");
    expect(params_of(&DisableUser::new("r", "s", "u")), "UserName");
    expect(params_of(&KickOutClients::new("r", "s", "u")), "Username");
    expect(
        params_of(&DescribeUserOnlineClients {
            region_id: "r".into(),
            smart_ag_id: "s".into(),
            user_name: "u".into(),
        }),
        "UserName",
    );
    assert_eq!(KickOutClients::NAME, "KickOutClients");
    assert_eq!(DeleteClientUser::NAME, "DeleteSmartAccessGatewayClientUser");
    assert_eq!(EnableUser::NAME, "EnableSmartAccessGatewayUser");
    assert_eq!(DisableUser::NAME, "DisableSmartAccessGatewayUser");
}

#[test]
fn describe_users_pages_and_filters() {
    let mut req = DescribeClientUsers::page("cn-shanghai", "sag-1", 3, 100);
    req.user_name = Some("bob".into());
    req.user_mail = Some("bob@example.com".into());
    assert_eq!(
        params_of(&req),
        pairs(&[
            ("PageNumber", "3"),
            ("PageSize", "100"),
            ("RegionId", "cn-shanghai"),
            ("SmartAGId", "sag-1"),
            ("UserMail", "bob@example.com"),
            ("UserName", "bob"),
        ])
    );
}

#[test]
fn modify_and_reset_send_only_what_is_set() {
    let modify = ModifyClientUser {
        region_id: "r".into(),
        smart_ag_id: "s".into(),
        user_name: "u".into(),
        bandwidth_kbps: Some(512),
        email: None,
    };
    assert_eq!(
        params_of(&modify),
        pairs(&[
            ("Bandwidth", "512"),
            ("RegionId", "r"),
            ("SmartAGId", "s"),
            ("UserName", "u")
        ])
    );
    let reset = ResetClientUserPassword {
        region_id: "r".into(),
        smart_ag_id: "s".into(),
        user_name: "u".into(),
        password: None,
    };
    assert_eq!(
        params_of(&reset),
        pairs(&[("RegionId", "r"), ("SmartAGId", "s"), ("UserName", "u")])
    );
    let reset = ResetClientUserPassword {
        password: Some(Secret::new("NewPass_1")),
        ..reset
    };
    assert!(params_of(&reset).contains(&("Password".into(), "NewPass_1".into())));
}

#[test]
fn statistics_flatten_names_one_based_in_batches_of_fifty() {
    let names: Vec<String> = (0..120).map(|i| format!("user{i:03}")).collect();
    let batches = DescribeUserOnlineClientStatistics::batches("r", "s", &names);
    assert_eq!(
        batches
            .iter()
            .map(|b| b.user_names.len())
            .collect::<Vec<_>>(),
        vec![50, 50, 20]
    );
    let p = batches[0].params();
    assert_eq!(p["UserNames.1"], "user000");
    assert_eq!(p["UserNames.50"], "user049");
    assert!(!p.contains_key("UserNames.0"));
    // Sorted by raw key, as the vendors sort: .10 before .2.
    let keys: Vec<&String> = p
        .keys()
        .filter(|k| k.starts_with("UserNames."))
        .take(3)
        .collect();
    assert_eq!(keys, ["UserNames.1", "UserNames.10", "UserNames.11"]);
}

#[test]
fn describe_instances_asks_for_software_instances() {
    let p = DescribeSmartAccessGateways::software("cn-shanghai", 2).params();
    assert_eq!(p["InstanceType"], "software");
    assert_eq!(p["PageNumber"], "2");
    assert_eq!(p["PageSize"], "50");
    assert!(!p.contains_key("SmartAGId"));
}

// Decoding: the response examples of vendor-apis.md §4, then the quirks.

#[test]
fn decodes_the_documented_user_list() {
    let body = r#"{"TotalCount":1,"PageSize":10,"RequestId":"3A8A4A7C-6B3E-4C5B-9B8D-1","PageNumber":1,"Users":{"User":[{"Bandwidth":2000,"State":1,"ClientIp":"10.10.10.1","UserName":"username","UserMail":"username@example.com","AccelerateBandwidth":1000,"IsStaticIp":0}]}}"#;
    let page: ClientUserPage = parse(body).unwrap();
    assert_eq!(page.total_count, 1);
    assert_eq!(page.page_size, 10);
    assert_eq!(
        page.users,
        vec![ClientUser {
            user_name: "username".into(),
            user_mail: "username@example.com".into(),
            bandwidth: 2000,
            client_ip: Some("10.10.10.1".into()),
            state: UserState::Disabled,
            is_static_ip: false,
            accelerate_bandwidth: Some(1000),
        }]
    );
}

#[test]
fn decodes_a_user_list_with_strings_single_objects_and_gaps() {
    let body = r#"{"TotalCount":"101","PageSize":"100","PageNumber":"2","RequestId":"R","Users":{"User":{"Bandwidth":"512","State":"0","UserName":"solo","UserMail":"s@example.com","IsStaticIp":"1","ClientIp":"10.0.0.9"}}}"#;
    let page: ClientUserPage = parse(body).unwrap();
    assert_eq!(page.total_count, 101);
    assert_eq!(page.users.len(), 1);
    assert_eq!(page.users[0].bandwidth, 512);
    assert_eq!(page.users[0].state, UserState::Enabled);
    assert!(page.users[0].is_static_ip);
    assert_eq!(page.users[0].accelerate_bandwidth, None);

    let empty: ClientUserPage =
        parse(r#"{"TotalCount":0,"RequestId":"R","Users":{"User":[]}}"#).unwrap();
    assert!(empty.users.is_empty());
    let missing: ClientUserPage = parse(r#"{"RequestId":"R"}"#).unwrap();
    assert!(missing.users.is_empty());
}

#[test]
fn decodes_the_documented_create_response() {
    let body = r#"{"UserName":"doc","RequestId":"72E82F5E-1","UserMail":"username@example.com","Bandwidth":20,"ClientIp":"10.0.XX.XX"}"#;
    let created: CreatedClientUser = parse(body).unwrap();
    assert_eq!(created.user_name, "doc");
    assert_eq!(created.bandwidth, 20);
    assert_eq!(created.client_ip.as_deref(), Some("10.0.XX.XX"));
    let no_ip: CreatedClientUser =
        parse(r#"{"UserName":"d","Bandwidth":"20","ClientIp":""}"#).unwrap();
    assert_eq!(no_ip.client_ip, None);
}

#[test]
fn decodes_online_clients_and_statistics_with_string_numbers() {
    let online: OnlineClients = parse(
        r#"{"RequestId":"R","Users":{"User":[{"ClientIp":"10.0.0.2","OnlineTime":"1700000000"},{"ClientIp":"10.0.0.3","OnlineTime":1700000100}]}}"#,
    )
    .unwrap();
    assert_eq!(online.users[0].online_time, Some(1_700_000_000));
    assert_eq!(online.users[1].online_time, Some(1_700_000_100));

    let stats: OnlineStatistics = parse(
        r#"{"RequestId":"R","UserStatistics":{"Statistics":[{"UserName":"a","OnlineCount":"2"},{"UserName":"b","OnlineCount":0}]}}"#,
    )
    .unwrap();
    assert_eq!(stats.user_statistics[0].online_count, 2);
    assert_eq!(stats.user_statistics[1].online_count, 0);
    let single: OnlineStatistics = parse(
        r#"{"RequestId":"R","UserStatistics":{"Statistics":{"UserName":"a","OnlineCount":"1"}}}"#,
    )
    .unwrap();
    assert_eq!(single.user_statistics.len(), 1);
}

#[test]
fn decodes_software_instances() {
    let body = r#"{"RequestId":"R","TotalCount":1,"PageNumber":1,"PageSize":50,"SmartAccessGateways":{"SmartAccessGateway":[{"SmartAGId":"sag-app1","Name":"hq","Status":"Active","CidrBlock":"10.10.0.0/20","UserCount":"200","DataPlan":5,"MaxBandwidth":"","EndTime":1893456000000}]}}"#;
    let page: SagInstancePage = parse(body).unwrap();
    let sag = &page.smart_access_gateways[0];
    assert_eq!(sag.smart_ag_id, "sag-app1");
    assert_eq!(sag.cidr_block.as_deref(), Some("10.10.0.0/20"));
    assert_eq!(sag.user_count, Some(200));
    assert_eq!(sag.max_bandwidth, None);
}

#[test]
fn ack_decodes_request_id() {
    let ack: Ack = parse(r#"{"RequestId":"ABC"}"#).unwrap();
    assert_eq!(ack.request_id, "ABC");
}
