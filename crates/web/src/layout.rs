//! What every page's layout needs: title, LA, navigation, the signed-in user.

use crate::identity::CurrentUser;
use crate::routes::MaybeUser;
use crate::routes::{Access, ROUTES};

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct ChromeUser {
    pub name: String,
    pub csrf_token: String,
}

/// The page frame.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub title: String,
    pub la_name: Option<String>,
    pub asset_version: &'static str,
    pub user: Option<ChromeUser>,
    pub nav: Vec<NavItem>,
}

impl Chrome {
    pub fn new(title: impl Into<String>) -> Self {
        Chrome {
            title: title.into(),
            la_name: None,
            asset_version: crate::assets::ASSET_VERSION,
            user: None,
            nav: Vec::new(),
        }
    }

    pub fn with_la(mut self, la_name: Option<String>) -> Self {
        self.la_name = la_name;
        self
    }

    /// A page for a signed-in member of staff; `current` is the section's path.
    pub fn for_user(title: impl Into<String>, user: &CurrentUser, current: &str) -> Self {
        let active = user.session.as_ref().is_none_or(|s| s.stage == staying_close_store::SessionStage::Active);
        // The pages with a navigation label in the route table that this
        // person may open, in the table's order.
        let nav = ROUTES
            .iter()
            .filter(|_| active)
            .filter_map(|r| r.nav.map(|label| (r, label)))
            .filter(|(r, _)| match r.access {
                Access::SignedIn => true,
                Access::Permission(p) => user.can(p),
                _ => false,
            })
            .map(|(r, label)| NavItem { href: r.path, label, current: current == r.path })
            .collect();
        Chrome {
            title: title.into(),
            la_name: user.la.as_ref().map(|la| la.name.clone()),
            asset_version: crate::assets::ASSET_VERSION,
            user: Some(ChromeUser { name: user.staff.display_name.clone(), csrf_token: user.csrf_token() }),
            nav,
        }
    }

    pub fn for_maybe(title: impl Into<String>, user: &MaybeUser, current: &str) -> Self {
        match &user.0 {
            Some(u) => Chrome::for_user(title, u, current),
            None => Chrome::new(title),
        }
    }
}
