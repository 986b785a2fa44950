//! A start-up check that the API layer works in this browser: it signs the
//! vendors' documented examples with the scheme `config.json` chooses for
//! each vendor and compares with their published signatures.

use crate::i18n::{td_string, Locale};
use sag_api::{Scheme, Vendor};

use crate::config::RuntimeConfig;

/// What the self-check found for one vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub vendor: Vendor,
    pub scheme: Scheme,
    pub ok: bool,
}

/// What the self-check found, for the Settings page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfCheck {
    pub aliyun: Checked,
    pub tencent: Checked,
}

impl SelfCheck {
    pub fn passed(&self) -> bool {
        self.aliyun.ok && self.tencent.ok
    }

    /// One sentence for the Settings page, naming each vendor's scheme, in
    /// the chosen language.
    pub fn text_in(&self, l: Locale) -> String {
        let name = |c: &Checked| c.scheme.name(c.vendor);
        if self.passed() {
            td_string!(
                l,
                settings.self_check_passed,
                aliyun = name(&self.aliyun),
                tencent = name(&self.tencent)
            )
            .to_string()
        } else {
            let failed: Vec<String> = [&self.aliyun, &self.tencent]
                .into_iter()
                .filter(|c| !c.ok)
                .map(|c| format!("{} ({})", crate::text::cloud(l, c.vendor), name(c)))
                .collect();
            let which = failed.join(td_string!(l, settings.and));
            td_string!(l, settings.self_check_failed, which).to_string()
        }
    }
}

/// Signs the documented examples of the schemes `config` chooses.
pub fn run(config: &RuntimeConfig) -> SelfCheck {
    let (v1_aliyun, v1_tencent) = sag_api::sign::documented_examples();
    let (v3_aliyun, v3_tencent) = sag_api::sign::v3::documented_examples();
    let checked = |vendor: Vendor, v1: bool, v3: bool| {
        let scheme = config.scheme(vendor);
        Checked {
            vendor,
            scheme,
            ok: match scheme {
                Scheme::V1 => v1,
                Scheme::V3 => v3,
            },
        }
    };
    SelfCheck {
        aliyun: checked(Vendor::Aliyun, v1_aliyun, v3_aliyun),
        tencent: checked(Vendor::Tencent, v1_tencent, v3_tencent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples_sign_correctly_and_the_scheme_is_named() {
        let config = RuntimeConfig::parse(include_str!("../../config.json")).unwrap();
        let check = run(&config);
        assert!(check.passed());
        assert!(
            check.text_in(Locale::en).contains("Alibaba Cloud requests are signed with ACS3-HMAC-SHA256, Tencent Cloud requests with TC3-HMAC-SHA256"),
            "{}",
            check.text_in(Locale::en)
        );
        let v1 = RuntimeConfig::parse(
            &include_str!("../../config.json")
                .replace(r#""signature": "v3""#, r#""signature": "v1""#),
        )
        .unwrap();
        let check = run(&v1);
        assert!(check.passed());
        assert!(check
            .text_in(Locale::en)
            .contains("signed with v1 (HMAC-SHA1), Tencent Cloud requests with v1 (HmacSHA1)"));
        let failed = SelfCheck {
            tencent: Checked {
                ok: false,
                ..check.tencent
            },
            ..check
        };
        assert_eq!(
            failed.text_in(Locale::en),
            "Signing self-check failed in this browser for Tencent Cloud (v1 (HmacSHA1)): requests would be rejected."
        );
    }
}
