//! What the shell asks of each area, registered by the app root
//! (`app.rs`), so that the shell knows no area's services: Settings tests
//! keys through [`Area::test_keys`], and Forget wipes what the area kept of
//! work done with those keys through [`Area::forget`].

use sag_api::Vendor;

use crate::i18n::Locale;
use crate::plumbing::client::LocalFuture;
use crate::plumbing::{ApiClient, CallError};

/// One cheap signed question with keys being tried; the answer in words.
pub type KeyTest = fn(ApiClient, Locale) -> LocalFuture<'static, Result<String, CallError>>;

/// One area's part in the shell.
#[derive(Clone, Copy)]
pub struct Area {
    /// Settings' **Test** and **Connect**.
    pub test_keys: KeyTest,
    /// On Forget of this cloud's keys (in this tab or another).
    pub forget: fn(),
    /// The part of the page Connect leads to (`shell::parts`).
    pub first_page: crate::shell::parts::Preload,
}

impl Area {
    /// Settings' test of keys; once they pass, the page Connect leads to is
    /// fetched while the admin reads.
    pub async fn test(self, client: ApiClient, l: Locale) -> Result<String, CallError> {
        let answer = (self.test_keys)(client, l).await;
        crate::shell::parts::prefetch_if_passed(answer, self.first_page)
    }
}

/// Both areas, by cloud.
#[derive(Clone, Copy)]
pub struct Areas {
    pub aliyun: Area,
    pub tencent: Area,
}

impl Areas {
    pub fn of(&self, vendor: Vendor) -> Area {
        match vendor {
            Vendor::Aliyun => self.aliyun,
            Vendor::Tencent => self.tencent,
        }
    }
}
