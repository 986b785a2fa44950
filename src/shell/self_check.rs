//! A start-up check that the API layer works in this browser: it signs the
//! vendors' documented examples and compares with their published signatures.

/// What the self-check found, for the Settings page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfCheck {
    pub aliyun_ok: bool,
    pub tencent_ok: bool,
}

impl SelfCheck {
    pub fn passed(&self) -> bool {
        self.aliyun_ok && self.tencent_ok
    }
}

/// Signs Alibaba's and Tencent's documented worked examples.
pub fn run() -> SelfCheck {
    let (aliyun_ok, tencent_ok) = sag_api::sign::documented_examples();
    SelfCheck {
        aliyun_ok,
        tencent_ok,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn documented_examples_sign_correctly() {
        assert!(super::run().passed());
    }
}
