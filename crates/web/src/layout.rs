//! What every page's layout needs.

/// The page frame: title, the LA shown in the header, and the asset version.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub title: String,
    pub la_name: Option<String>,
    pub asset_version: &'static str,
}

impl Chrome {
    pub fn new(title: impl Into<String>) -> Self {
        Chrome { title: title.into(), la_name: None, asset_version: crate::assets::ASSET_VERSION }
    }

    pub fn with_la(mut self, la_name: Option<String>) -> Self {
        self.la_name = la_name;
        self
    }
}
