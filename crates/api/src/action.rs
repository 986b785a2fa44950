//! What every typed action is: its product, name, business parameters and
//! response type. Both `smartag` and `cam` build on this module, and
//! `request` signs what they describe, so the dependencies run one way:
//! `smartag`/`cam` -> `action` <- `request`.

use crate::error::Vendor;
use crate::sign::Params;

/// Smartag's API version.
pub const SMARTAG_VERSION: &str = "2018-03-13";
/// CAM's API version.
pub const CAM_VERSION: &str = "2019-01-16";
/// The host the official Tencent SDK signs and sends CAM requests to.
pub const CAM_DEFAULT_HOST: &str = "cam.tencentcloudapi.com";

/// Which API a typed action belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// Alibaba Cloud Smart Access Gateway, RPC style.
    Smartag,
    /// Tencent Cloud CAM, API 3.0.
    Cam,
}

impl Product {
    pub fn vendor(self) -> Vendor {
        match self {
            Product::Smartag => Vendor::Aliyun,
            Product::Cam => Vendor::Tencent,
        }
    }

    pub fn version(self) -> &'static str {
        match self {
            Product::Smartag => SMARTAG_VERSION,
            Product::Cam => CAM_VERSION,
        }
    }
}

/// One API action: its name, its business parameters and its response type.
pub trait Action {
    const PRODUCT: Product;
    const NAME: &'static str;
    type Response: crate::lenient::FromJson;

    /// The business parameters exactly as the vendor's SDK sends them (common
    /// parameters such as `Action` or `Timestamp` are added when signing).
    fn params(&self) -> Params;
}
