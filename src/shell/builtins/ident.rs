//! `id` and `whoami`: the identity of the process, as the root it works under knows it
//! ([`Root::creds`](crate::shell::fs::Root::creds): root on the host, a container's `-u` user
//! inside one), with names from that root's `/etc/passwd` and `/etc/group`. Output and errors
//! are coreutils' (as every drydock builtin's); where BusyBox (the `busybox` and `alpine`
//! images) words an error differently the difference is noted beside it.

use super::util::{self, Spec, lquote};
use crate::shell::Ctx;
use crate::shell::accounts::Accounts;

/// One id and its name for `id`'s default format: `1000` or `0(root)`.
fn labelled(id: u32, name: Option<String>) -> String {
    match name {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    }
}

/// `id [-u|-g|-G] [-n] [-r] [USER]`.
pub fn id(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let spec = Spec {
        flags: "ugGnrz",
        values: "",
        longs: &[
            ("user", 'u'),
            ("group", 'g'),
            ("groups", 'G'),
            ("name", 'n'),
            ("real", 'r'),
            ("zero", 'z'),
        ],
        stop_at_operand: false,
    };
    let Some(opts) = util::parse(ctx.io.stderr, args, &spec) else {
        return 1;
    };
    let only: Vec<char> = ['u', 'g', 'G']
        .into_iter()
        .filter(|c| opts.has(*c))
        .collect();
    if only.len() > 1 {
        let _ = writeln!(
            ctx.io.stderr,
            "id: cannot print \"only\" of more than one choice"
        );
        return 1;
    }
    if only.is_empty() && (opts.has('n') || opts.has('r')) {
        // BusyBox prints its usage here.
        let _ = writeln!(
            ctx.io.stderr,
            "id: cannot print only names or real IDs in default format"
        );
        return 1;
    }
    if opts.operands.len() > 1 {
        let _ = writeln!(
            ctx.io.stderr,
            "id: extra operand {}",
            lquote(&opts.operands[1])
        );
        util::try_help(ctx.io.stderr, "id");
        return 1;
    }
    let acc = Accounts::read(&ctx.state.root);
    let (uid, gid, groups) = match opts.operands.first() {
        Some(name) => {
            let entry = acc.user(name).cloned().or_else(|| {
                let n: i64 = name.parse().ok()?;
                acc.users.iter().find(|u| u.uid == n).cloned()
            });
            let Some(u) = entry else {
                // BusyBox: `id: unknown user NAME`.
                let _ = writeln!(ctx.io.stderr, "id: {}: no such user", lquote(name));
                return 1;
            };
            let (uid, gid) = (
                u32::try_from(u.uid).unwrap_or(u32::MAX),
                u32::try_from(u.gid).unwrap_or(u32::MAX),
            );
            (uid, gid, acc.group_list(&u.name, gid))
        }
        None => {
            let c = ctx.state.root.creds();
            (c.uid, c.gid, c.groups.clone())
        }
    };
    let names = opts.has('n');
    let mut unnamed: Vec<String> = Vec::new();
    let mut name_or_number = |what: &str, id: u32, name: Option<String>| match name {
        Some(n) if names => n,
        None if names => {
            // BusyBox: `id: unknown ID N`.
            unnamed.push(format!("id: cannot find name for {what} ID {id}"));
            id.to_string()
        }
        _ => id.to_string(),
    };
    let line = match only.first() {
        Some('u') => name_or_number("user", uid, acc.user_name(uid)),
        Some('g') => name_or_number("group", gid, acc.group_name(gid)),
        Some(_) => {
            let mut list = vec![gid];
            list.extend(groups.iter().copied().filter(|g| *g != gid));
            list.iter()
                .map(|g| name_or_number("group", *g, acc.group_name(*g)))
                .collect::<Vec<_>>()
                .join(if opts.has('z') { "\0" } else { " " })
        }
        None => {
            let mut s = format!(
                "uid={} gid={}",
                labelled(uid, acc.user_name(uid)),
                labelled(gid, acc.group_name(gid))
            );
            if !groups.is_empty() {
                let list: Vec<String> = groups
                    .iter()
                    .map(|g| labelled(*g, acc.group_name(*g)))
                    .collect();
                s.push_str(&format!(" groups={}", list.join(",")));
            }
            s
        }
    };
    for e in &unnamed {
        let _ = writeln!(ctx.io.stderr, "{e}");
    }
    let end = if opts.has('z') { "\0" } else { "\n" };
    let _ = write!(ctx.io.stdout, "{line}{end}");
    i32::from(!unnamed.is_empty())
}

/// `whoami`: the name of the process's user.
pub fn whoami(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    if let Some(extra) = args.get(1) {
        let _ = writeln!(ctx.io.stderr, "whoami: extra operand {}", lquote(extra));
        util::try_help(ctx.io.stderr, "whoami");
        return 1;
    }
    let uid = ctx.state.root.creds().uid;
    match Accounts::read(&ctx.state.root).user_name(uid) {
        Some(n) => {
            let _ = writeln!(ctx.io.stdout, "{n}");
            0
        }
        None => {
            // BusyBox: `whoami: unknown uid N`.
            let _ = writeln!(ctx.io.stderr, "whoami: cannot find name for user ID {uid}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::builtins::testkit::World;
    use crate::shell::fs::Creds;

    /// A container-like root with passwd and group, run as `creds`.
    fn world(creds: Creds) -> World {
        let mut w = World::new();
        w.write(
            "/etc/passwd",
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000::/home/app:/bin/sh\n",
        );
        w.write(
            "/etc/group",
            "root:x:0:\nnogroup:x:65534:\napp:x:1000:\nwheel:x:10:app,nobody\nstaff:x:50:root,app\naudio:x:29:app\n",
        );
        w.state.root = w.state.root.clone().with_creds(creds);
        w
    }

    #[test]
    fn the_host_is_root() {
        let mut w = World::new();
        w.check(&["whoami"], "root\n", "", 0);
        w.check(&["id"], "uid=0(root) gid=0(root) groups=0(root)\n", "", 0);
        w.check(&["id", "-un"], "root\n", "", 0);
        w.check(&["id", "-G"], "0\n", "", 0);
    }

    #[test]
    fn a_container_user_as_docker_showed_it() {
        // `docker run -u app` (Docker 20.10.24, the same two files).
        let mut w = world(Creds::new(1000, 1000, &[10, 29, 50, 1000]));
        w.check(
            &["id"],
            "uid=1000(app) gid=1000(app) groups=10(wheel),29(audio),50(staff),1000(app)\n",
            "",
            0,
        );
        w.check(&["id", "-u"], "1000\n", "", 0);
        w.check(&["id", "-un"], "app\n", "", 0);
        w.check(&["id", "-gn"], "app\n", "", 0);
        w.check(&["id", "-G"], "1000 10 29 50\n", "", 0);
        w.check(&["id", "-Gn"], "app wheel audio staff\n", "", 0);
        w.check(&["whoami"], "app\n", "", 0);
        // `id USER`: getgrouplist's order.
        w.check(
            &["id", "nobody"],
            "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup),10(wheel)\n",
            "",
            0,
        );
        w.check(&["id", "-u", "app"], "1000\n", "", 0);
        w.check(
            &["id", "bogus"],
            "",
            "id: \u{2018}bogus\u{2019}: no such user\n",
            1,
        );
    }

    #[test]
    fn ids_without_names() {
        // `docker run -u 1234:5678`: numbers only; asking for names fails but prints the number.
        let mut w = world(Creds::new(1234, 5678, &[5678]));
        w.check(&["id"], "uid=1234 gid=5678 groups=5678\n", "", 0);
        w.check(&["id", "-u"], "1234\n", "", 0);
        w.check(
            &["id", "-un"],
            "1234\n",
            "id: cannot find name for user ID 1234\n",
            1,
        );
        w.check(
            &["id", "-gn"],
            "5678\n",
            "id: cannot find name for group ID 5678\n",
            1,
        );
        w.check(
            &["whoami"],
            "",
            "whoami: cannot find name for user ID 1234\n",
            1,
        );
        // `-u 1000` where passwd has no 1000: gid 0.
        let mut w = world(Creds::new(4321, 0, &[0]));
        w.check(&["id"], "uid=4321 gid=0(root) groups=0(root)\n", "", 0);
    }

    #[test]
    fn option_errors() {
        let mut w = World::new();
        w.check(
            &["id", "-n"],
            "",
            "id: cannot print only names or real IDs in default format\n",
            1,
        );
        w.check(
            &["id", "-u", "-g"],
            "",
            "id: cannot print \"only\" of more than one choice\n",
            1,
        );
    }
}
