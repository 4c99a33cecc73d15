//! User and group names under a root: what `id`, `whoami`, `ls -l` and shell prompts show for a
//! uid or gid, read from the root's `/etc/passwd` and `/etc/group` (the container's, inside a
//! container) as the C library's `getpwuid`/`getgrgid` do: the first entry with that id wins.
//! Parsing is the runtime's (`engine::runtime::user`), so names and ids agree with what `-u`
//! resolved. With no entry, root (id 0) is still called `root`: the virtual host has no
//! `/etc/passwd` of its own.

use crate::engine::runtime::user::{GroupEntry, PasswdEntry, parse_group, parse_passwd};
use crate::shell::fs::Root;

/// The passwd and group entries of one root, read once.
#[derive(Debug, Clone, Default)]
pub struct Accounts {
    pub users: Vec<PasswdEntry>,
    pub groups: Vec<GroupEntry>,
    /// Show numbers, never names (`ls -n`).
    pub numeric: bool,
}

impl Accounts {
    /// Reads `/etc/passwd` and `/etc/group` under `root` (missing files give no entries).
    pub fn read(root: &Root) -> Accounts {
        let text = |p: &str| {
            root.resolve("/", p, true)
                .ok()
                .and_then(|real| std::fs::read_to_string(real).ok())
                .unwrap_or_default()
        };
        Accounts {
            users: parse_passwd(&text("/etc/passwd")),
            groups: parse_group(&text("/etc/group")),
            numeric: false,
        }
    }

    /// The name of user `uid`, if it has one.
    pub fn user_name(&self, uid: u32) -> Option<String> {
        self.users
            .iter()
            .find(|u| u.uid == i64::from(uid))
            .map(|u| u.name.clone())
            .or_else(|| (uid == 0).then(|| "root".to_string()))
    }

    /// The name of group `gid`, if it has one.
    pub fn group_name(&self, gid: u32) -> Option<String> {
        self.groups
            .iter()
            .find(|g| g.gid == i64::from(gid))
            .map(|g| g.name.clone())
            .or_else(|| (gid == 0).then(|| "root".to_string()))
    }

    /// The passwd entry named `name`.
    pub fn user(&self, name: &str) -> Option<&PasswdEntry> {
        self.users.iter().find(|u| u.name == name)
    }

    /// `getgrouplist(name, gid)`: `gid` first, then every group listing `name` as a member, in
    /// file order, each gid once.
    pub fn group_list(&self, name: &str, gid: u32) -> Vec<u32> {
        let mut out = vec![gid];
        for g in &self.groups {
            if g.members.iter().any(|m| m == name)
                && let Ok(n) = u32::try_from(g.gid)
                && !out.contains(&n)
            {
                out.push(n);
            }
        }
        out
    }
}

/// `ls -l`'s owner column: the name, or the number when the id has none (and always with
/// [`Accounts::numeric`], as `ls -n`).
pub fn user_label(acc: &Accounts, uid: u32) -> String {
    acc.user_name(uid)
        .filter(|_| !acc.numeric)
        .unwrap_or_else(|| uid.to_string())
}

/// `ls -l`'s group column: the name, or the number when the id has none.
pub fn group_label(acc: &Accounts, gid: u32) -> String {
    acc.group_name(gid)
        .filter(|_| !acc.numeric)
        .unwrap_or_else(|| gid.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc() -> Accounts {
        Accounts {
            users: parse_passwd("root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n"),
            groups: parse_group("root:x:0:\nwheel:x:10:nobody\nnogroup:x:65534:\nw2:x:10:\n"),
            numeric: false,
        }
    }

    #[test]
    fn names_and_numbers() {
        let a = acc();
        assert_eq!(a.user_name(65534).as_deref(), Some("nobody"));
        assert_eq!(a.user_name(1000), None);
        assert_eq!(a.group_name(10).as_deref(), Some("wheel"));
        assert_eq!(user_label(&a, 1000), "1000");
        assert_eq!(group_label(&a, 65534), "nogroup");
        assert_eq!(a.group_list("nobody", 65534), [65534, 10]);
        // No files at all: root is still root.
        let none = Accounts::default();
        assert_eq!(none.user_name(0).as_deref(), Some("root"));
        assert_eq!(none.group_name(0).as_deref(), Some("root"));
    }
}
