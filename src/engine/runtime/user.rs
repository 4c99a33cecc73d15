//! The container user: `-u`/`--user`, the image's `User` (Dockerfile `USER`), `docker exec -u`
//! and `--group-add`, resolved against the container's own `/etc/passwd` and `/etc/group` as
//! dockerd and runc resolve them.
//!
//! dockerd (`daemon/oci_linux.go` `getUser`) reads the two files from the container's root
//! filesystem (symlinks followed inside it, mounts not applied) and calls runc's
//! `user.GetExecUser(spec, nil, passwd, group)`: `name`, `uid`, `name:group`, `uid:gid` … A name
//! must be in the file; a number need not be (`-u 1000` runs as uid 1000, gid 0); a number is
//! always taken as an id, never as a name. With the implicit form (no group) a user found in
//! passwd gets their passwd gid and, as supplementary groups, every group whose member list
//! names them; the explicit form sets the gid and no supplementary groups. `--group-add` adds
//! groups by name or number (`GetAdditionalGroups`). runc then sets `HOME`, when the
//! environment has none, from the passwd entry of the resulting uid (`/` without one), and the
//! kernel's group list (what `getgroups(2)` and `id` show) is the supplementary groups and the
//! primary gid, sorted, each once — as Docker 20.10 was seen to give them.
//!
//! [`get_exec_user`] and [`additional_groups`] are pure ports of runc's functions (same matching,
//! same first-match-wins, same errors); [`resolve`] reads the files. The words of the errors are
//! dockerd's (`unable to find user bogus: no matching entries in passwd file`).

use std::path::{Component, Path, PathBuf};

/// The smallest and largest ids runc accepts.
const MIN_ID: i64 = 0;
const MAX_ID: i64 = (1 << 31) - 1;

/// Why a user specification could not be resolved, in runc's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserError {
    #[error("unable to find user {0}: no matching entries in passwd file")]
    NoUser(String),
    #[error("unable to find group {0}: no matching entries in group file")]
    NoGroup(String),
    /// A `--group-add` name that is not in `/etc/group` (runc capitalises this one).
    #[error("Unable to find group {0}: no matching entries in group file")]
    NoAdditionalGroup(String),
    #[error("uids and gids must be in range {MIN_ID}-{MAX_ID}")]
    Range,
}

/// One `/etc/passwd` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswdEntry {
    pub name: String,
    pub uid: i64,
    pub gid: i64,
    pub home: String,
}

/// One `/etc/group` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupEntry {
    pub name: String,
    pub gid: i64,
    pub members: Vec<String>,
}

/// Go's `strconv.Atoi` as runc's line parser uses it: conversion errors give 0.
fn number(field: &str) -> i64 {
    field.parse().unwrap_or(0)
}

/// `/etc/passwd` as runc parses it: lines trimmed, blank lines skipped, missing fields empty.
pub fn parse_passwd(text: &str) -> Vec<PasswdEntry> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            let at = |i: usize| f.get(i).copied().unwrap_or("");
            PasswdEntry {
                name: at(0).to_string(),
                uid: number(at(2)),
                gid: number(at(3)),
                home: at(5).to_string(),
            }
        })
        .collect()
}

/// `/etc/group` as runc parses it: lines trimmed, blank lines and `#` comments skipped.
pub fn parse_group(text: &str) -> Vec<GroupEntry> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            let at = |i: usize| f.get(i).copied().unwrap_or("");
            GroupEntry {
                name: at(0).to_string(),
                gid: number(at(2)),
                members: if at(3).is_empty() {
                    Vec::new()
                } else {
                    at(3).split(',').map(str::to_string).collect()
                },
            }
        })
        .collect()
}

/// What a user specification resolves to (runc's `ExecUser`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecUser {
    pub uid: i64,
    pub gid: i64,
    /// Supplementary groups, in `/etc/group` order.
    pub sgids: Vec<i64>,
    pub home: String,
}

fn in_range(id: i64) -> Result<i64, UserError> {
    if (MIN_ID..=MAX_ID).contains(&id) {
        Ok(id)
    } else {
        Err(UserError::Range)
    }
}

/// runc's `GetExecUser`: `spec` (`user`, `uid`, `user:group`, `uid:gid`, … or empty) against
/// the entries of `/etc/passwd` and `/etc/group` (`None` when the file is missing), starting
/// from `defaults`.
pub fn get_exec_user(
    spec: &str,
    defaults: &ExecUser,
    passwd: Option<&[PasswdEntry]>,
    group: Option<&[GroupEntry]>,
) -> Result<ExecUser, UserError> {
    let mut user = defaults.clone();
    // `a:b:c` is user `a`, group `b`; the rest is ignored.
    let mut parts = spec.split(':');
    let user_arg = parts.next().unwrap_or("");
    let group_arg = parts.next().unwrap_or("");
    let uid_arg = user_arg.parse::<i64>().ok();
    let gid_arg = group_arg.parse::<i64>().ok();

    let found = passwd.unwrap_or(&[]).iter().find(|u| {
        if user_arg.is_empty() {
            u.uid == user.uid
        } else if let Some(n) = uid_arg {
            u.uid == n
        } else {
            u.name == user_arg
        }
    });
    let mut matched_name = "";
    if let Some(u) = found {
        matched_name = &u.name;
        user.uid = u.uid;
        user.gid = u.gid;
        user.home = u.home.clone();
    } else if !user_arg.is_empty() {
        let Some(n) = uid_arg else {
            return Err(UserError::NoUser(user_arg.to_string()));
        };
        user.uid = in_range(n)?;
    }

    if !group_arg.is_empty() || !matched_name.is_empty() {
        let groups: Vec<&GroupEntry> = group
            .unwrap_or(&[])
            .iter()
            .filter(|g| {
                if group_arg.is_empty() {
                    g.members.iter().any(|m| m == matched_name)
                } else if let Some(n) = gid_arg {
                    g.gid == n
                } else {
                    g.name == group_arg
                }
            })
            .collect();
        if !group_arg.is_empty() {
            match groups.first() {
                Some(g) => user.gid = g.gid,
                None => {
                    let Some(n) = gid_arg else {
                        return Err(UserError::NoGroup(group_arg.to_string()));
                    };
                    user.gid = in_range(n)?;
                }
            }
        } else if !groups.is_empty() {
            user.sgids = groups.iter().map(|g| g.gid).collect();
        }
    }
    Ok(user)
}

/// runc's `GetAdditionalGroups` (`--group-add`): each name or number once; a name must be in
/// `/etc/group`, a number need not be. A value naming a group already added (by its other
/// spelling) counts as not found, as in runc.
pub fn additional_groups(
    wanted: &[String],
    group: Option<&[GroupEntry]>,
) -> Result<Vec<i64>, UserError> {
    let matches = |g: &GroupEntry, a: &str| g.name == a || g.gid.to_string() == a;
    let groups: Vec<&GroupEntry> = group
        .unwrap_or(&[])
        .iter()
        .filter(|g| wanted.iter().any(|a| matches(g, a)))
        .collect();
    let mut out: Vec<i64> = Vec::new();
    for a in wanted {
        let mut found = false;
        for g in &groups {
            if matches(g, a) && !out.contains(&g.gid) {
                out.push(g.gid);
                found = true;
                break;
            }
        }
        if !found {
            let n: i64 = a
                .parse()
                .map_err(|_| UserError::NoAdditionalGroup(a.clone()))?;
            let n = in_range(n)?;
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    Ok(out)
}

/// The identity a container process runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub uid: u32,
    pub gid: u32,
    /// What `getgroups(2)` gives inside the container: the supplementary groups and the
    /// primary gid, sorted, each once.
    pub groups: Vec<u32>,
    /// The home directory runc puts in `HOME` when the environment has none.
    pub home: String,
}

impl Identity {
    /// root, as a container without a user (and no passwd) runs.
    pub fn root() -> Identity {
        Identity {
            uid: 0,
            gid: 0,
            groups: vec![0],
            home: "/root".into(),
        }
    }
}

/// dockerd's `getUser` and runc's `HOME`, from the passwd and group entries of a rootfs.
pub fn identity(
    spec: &str,
    group_add: &[String],
    passwd: Option<&[PasswdEntry]>,
    group: Option<&[GroupEntry]>,
) -> Result<Identity, UserError> {
    let exec = get_exec_user(spec, &ExecUser::default(), passwd, group)?;
    let mut groups = exec.sgids.clone();
    if !group_add.is_empty() {
        groups.extend(additional_groups(group_add, group)?);
    }
    groups.push(exec.gid);
    // The ids are in range here: from a file they may not be (runc would fail setuid there).
    let id = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    let mut groups: Vec<u32> = groups.into_iter().map(id).collect();
    groups.sort_unstable();
    groups.dedup();
    // runc: `GetExecUserPath("uid:gid", {Home: "/"})`, for HOME only.
    let home = passwd
        .unwrap_or(&[])
        .iter()
        .find(|u| u.uid == exec.uid)
        .map(|u| u.home.clone())
        .unwrap_or_else(|| "/".into());
    Ok(Identity {
        uid: id(exec.uid),
        gid: id(exec.gid),
        groups,
        home,
    })
}

/// Resolves `spec` and `group_add` in the container rootfs `rootfs`.
pub fn resolve(rootfs: &Path, spec: &str, group_add: &[String]) -> Result<Identity, UserError> {
    let read = |name: &str| std::fs::read_to_string(in_scope(rootfs, name)).ok();
    let passwd = read("/etc/passwd").map(|t| parse_passwd(&t));
    let group = read("/etc/group").map(|t| parse_group(&t));
    identity(spec, group_add, passwd.as_deref(), group.as_deref())
}

/// moby's `FollowSymlinkInScope`: the real path of virtual `path` in `root`, every symlink
/// (the last one too) resolved inside `root`, never above it.
pub fn in_scope(root: &Path, path: &str) -> PathBuf {
    let mut todo: Vec<String> = path
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .rev()
        .map(str::to_string)
        .collect();
    let mut stack: Vec<String> = Vec::new();
    let mut links = 0;
    while let Some(c) = todo.pop() {
        if c == ".." {
            stack.pop();
            continue;
        }
        let mut here = root.to_path_buf();
        here.extend(&stack);
        here.push(&c);
        match std::fs::read_link(&here) {
            Ok(target) if links < 255 => {
                links += 1;
                let mut parts = Vec::new();
                for comp in target.components() {
                    match comp {
                        Component::RootDir | Component::Prefix(_) => {
                            stack.clear();
                            parts.clear();
                        }
                        Component::CurDir => {}
                        Component::ParentDir => parts.push("..".to_string()),
                        Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
                    }
                }
                todo.extend(parts.into_iter().rev());
            }
            _ => stack.push(c),
        }
    }
    let mut real = root.to_path_buf();
    real.extend(&stack);
    real
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A busybox image's files plus the users and groups a Dockerfile added: Docker 20.10.24's
    /// answers below were recorded on an image with exactly these two files.
    const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
app:x:1000:1000:App User:/home/app:/bin/sh
dup:x:2000:2000::/home/dup:/bin/sh
";
    const GROUP: &str = "root:x:0:
nogroup:x:65534:
app:x:1000:
wheel:x:10:app,nobody
staff:x:50:root,app
audio:x:29:app
dup:x:2000:dup
wheel2:x:10:dup
";

    /// uid, gid, groups and HOME, or the error's words.
    type Answer = Result<(u32, u32, Vec<u32>, String), String>;

    fn id(spec: &str, add: &[&str]) -> Answer {
        let p = parse_passwd(PASSWD);
        let g = parse_group(GROUP);
        let add: Vec<String> = add.iter().map(|s| s.to_string()).collect();
        identity(spec, &add, Some(&p), Some(&g))
            .map(|i| (i.uid, i.gid, i.groups, i.home))
            .map_err(|e| e.to_string())
    }

    fn ok(uid: u32, gid: u32, groups: &[u32], home: &str) -> Answer {
        Ok((uid, gid, groups.to_vec(), home.to_string()))
    }

    #[test]
    fn specs_resolve_as_docker_did() {
        // `docker run -u SPEC IMAGE sh -c 'id; echo $HOME'` on Docker 20.10.24.
        let table: &[(&str, Answer)] = &[
            ("", ok(0, 0, &[0, 50], "/root")),
            ("root", ok(0, 0, &[0, 50], "/root")),
            (":", ok(0, 0, &[0, 50], "/root")),
            (":root", ok(0, 0, &[0], "/root")),
            (":nogroup", ok(0, 65534, &[65534], "/root")),
            ("nobody", ok(65534, 65534, &[10, 65534], "/nonexistent")),
            ("65534", ok(65534, 65534, &[10, 65534], "/nonexistent")),
            ("nobody:", ok(65534, 65534, &[10, 65534], "/nonexistent")),
            ("nobody:root", ok(65534, 0, &[0], "/nonexistent")),
            ("nobody:1234", ok(65534, 1234, &[1234], "/nonexistent")),
            ("0:65534", ok(0, 65534, &[65534], "/root")),
            ("app", ok(1000, 1000, &[10, 29, 50, 1000], "/home/app")),
            ("1000", ok(1000, 1000, &[10, 29, 50, 1000], "/home/app")),
            ("1000:1000", ok(1000, 1000, &[1000], "/home/app")),
            ("app:staff", ok(1000, 50, &[50], "/home/app")),
            ("app:1234", ok(1000, 1234, &[1234], "/home/app")),
            ("dup", ok(2000, 2000, &[10, 2000], "/home/dup")),
            ("1234", ok(1234, 0, &[0], "/")),
            ("1234:nogroup", ok(1234, 65534, &[65534], "/")),
            ("1234:5678", ok(1234, 5678, &[5678], "/")),
            ("root:0:x", ok(0, 0, &[0], "/root")),
            (
                "bogus",
                Err("unable to find user bogus: no matching entries in passwd file".into()),
            ),
            (
                "bogus:root",
                Err("unable to find user bogus: no matching entries in passwd file".into()),
            ),
            (
                "a:b:c",
                Err("unable to find user a: no matching entries in passwd file".into()),
            ),
            (
                " nobody",
                Err("unable to find user  nobody: no matching entries in passwd file".into()),
            ),
            (
                "NOBODY",
                Err("unable to find user NOBODY: no matching entries in passwd file".into()),
            ),
            (
                "99999999999999999999",
                Err(
                    "unable to find user 99999999999999999999: no matching entries in passwd file"
                        .into(),
                ),
            ),
            (
                "nobody:bogus",
                Err("unable to find group bogus: no matching entries in group file".into()),
            ),
            (
                "nobody:99999999999999999999",
                Err(
                    "unable to find group 99999999999999999999: no matching entries in group file"
                        .into(),
                ),
            ),
            (
                "-1",
                Err("uids and gids must be in range 0-2147483647".into()),
            ),
            (
                "99999999999",
                Err("uids and gids must be in range 0-2147483647".into()),
            ),
            (
                "2147483648",
                Err("uids and gids must be in range 0-2147483647".into()),
            ),
            (
                "1000:-5",
                Err("uids and gids must be in range 0-2147483647".into()),
            ),
        ];
        for (spec, want) in table {
            assert_eq!(&id(spec, &[]), want, "-u {spec:?}");
        }
    }

    #[test]
    fn group_add_as_docker_did() {
        assert_eq!(
            id("nobody", &["audio", "4242"]),
            ok(65534, 65534, &[10, 29, 4242, 65534], "/nonexistent")
        );
        assert_eq!(
            id("", &["bogus"]),
            Err("Unable to find group bogus: no matching entries in group file".into())
        );
        assert_eq!(
            id("", &["-5"]),
            Err("uids and gids must be in range 0-2147483647".into())
        );
        // The second spelling of a group already added is "not found", as in runc.
        assert_eq!(
            id("1000:1000", &["50", "staff"]),
            Err("Unable to find group staff: no matching entries in group file".into())
        );
    }

    #[test]
    fn without_files_numbers_still_work() {
        let r = |spec: &str| identity(spec, &[], None, None).map_err(|e| e.to_string());
        assert_eq!(
            r("1000:1000").unwrap(),
            Identity {
                uid: 1000,
                gid: 1000,
                groups: vec![1000],
                home: "/".into()
            }
        );
        assert_eq!(r("").unwrap().groups, vec![0]);
        assert_eq!(
            r("root").unwrap_err(),
            "unable to find user root: no matching entries in passwd file"
        );
    }

    #[test]
    fn parsing_is_runcs() {
        let p = parse_passwd("  a:x:1:2:g:/h:/bin/sh  \n\nb:x:zz\n");
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].name.as_str(), p[0].uid, p[0].gid), ("a", 1, 2));
        assert_eq!(p[0].home, "/h");
        assert_eq!((p[1].uid, p[1].gid, p[1].home.as_str()), (0, 0, ""));
        let g = parse_group("# c\nx:x:5:a,b\ny:x:6:\n");
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].members, ["a", "b"]);
        assert!(g[1].members.is_empty());
    }

    #[test]
    fn files_are_read_through_symlinks_inside_the_rootfs() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::create_dir_all(root.join("real")).unwrap();
        std::fs::write(root.join("real/passwd"), "u:x:7:8::/home/u:/bin/sh\n").unwrap();
        std::os::unix::fs::symlink("../../../real/passwd", root.join("etc/passwd")).unwrap();
        // Outside the rootfs: never read.
        std::fs::write(tmp.path().join("group"), "g:x:8:\n").unwrap();
        std::os::unix::fs::symlink("/../../group", root.join("etc/group")).unwrap();
        assert_eq!(in_scope(&root, "/etc/passwd"), root.join("real/passwd"));
        assert_eq!(in_scope(&root, "/etc/group"), root.join("group"));
        let i = resolve(&root, "u", &[]).unwrap();
        assert_eq!(
            (i.uid, i.gid, i.groups, i.home.as_str()),
            (7, 8, vec![8], "/home/u")
        );
    }
}
