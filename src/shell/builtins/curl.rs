//! `curl [-s] [-i] [-I] [-o FILE] [-f] URL`: a real HTTP/1.1 GET (or HEAD with `-I`) over a TCP
//! socket to the virtual host's own ports (`localhost`, `127.0.0.1`), where containers publish
//! theirs. Errors and exit codes are curl's (`curl: (7) Failed to connect …`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::shell::Ctx;

#[derive(Debug)]
struct Url {
    host: String,
    port: u16,
    path: String,
}

fn parse_url(raw: &str) -> Result<Url, (i32, String)> {
    let rest = if let Some(r) = raw.strip_prefix("http://") {
        r
    } else if raw.contains("://") {
        let scheme = raw.split("://").next().unwrap_or("");
        return Err((
            1,
            format!("curl: (1) Protocol \"{scheme}\" not supported or disabled in libcurl"),
        ));
    } else {
        raw
    };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (
            h,
            p.parse::<u16>().map_err(|_| {
                (
                    3,
                    "curl: (3) URL using bad/illegal format or missing URL".to_string(),
                )
            })?,
        ),
        None => (hostport, 80),
    };
    if host.is_empty() {
        return Err((
            3,
            "curl: (3) URL using bad/illegal format or missing URL".into(),
        ));
    }
    Ok(Url {
        host: host.to_string(),
        port,
        path: path.to_string(),
    })
}

pub fn curl(ctx: &mut Ctx<'_, '_>, args: &[String]) -> i32 {
    let mut silent = false;
    let mut include = false;
    let mut head = false;
    let mut fail = false;
    let mut output: Option<String> = None;
    let mut url: Option<String> = None;
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-s" | "--silent" => silent = true,
            "-i" | "--include" => include = true,
            "-I" | "--head" => head = true,
            "-f" | "--fail" => fail = true,
            "-L" | "--location" | "-v" | "-S" | "-sS" => {}
            "-o" | "--output" => {
                i += 1;
                output = args.get(i).cloned();
            }
            "-si" | "-is" => {
                silent = true;
                include = true;
            }
            "-sI" | "-Is" => {
                silent = true;
                head = true;
            }
            s if s.starts_with('-') => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "curl: option {s}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"
                );
                return 2;
            }
            _ => url = Some(a.clone()),
        }
        i += 1;
    }
    let _ = silent;
    let Some(raw) = url else {
        let _ = writeln!(
            ctx.io.stderr,
            "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information"
        );
        return 2;
    };
    let u = match parse_url(&raw) {
        Ok(u) => u,
        Err((code, msg)) => {
            let _ = writeln!(ctx.io.stderr, "{msg}");
            return code;
        }
    };
    let addr = match u.host.as_str() {
        "localhost" | "127.0.0.1" | "0.0.0.0" | "drydock" => ("127.0.0.1", u.port),
        other => {
            let _ = writeln!(ctx.io.stderr, "curl: (6) Could not resolve host: {other}");
            return 6;
        }
    };
    let mut stream = match TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], addr.1)),
        Duration::from_secs(5),
    ) {
        Ok(s) => s,
        Err(_) => {
            let _ = writeln!(
                ctx.io.stderr,
                "curl: (7) Failed to connect to {} port {}: Connection refused",
                u.host, u.port
            );
            return 7;
        }
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let method = if head { "HEAD" } else { "GET" };
    let host_header = if u.port == 80 {
        u.host.clone()
    } else {
        format!("{}:{}", u.host, u.port)
    };
    let req = format!(
        "{method} {} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        u.path
    );
    if stream.write_all(req.as_bytes()).is_err() {
        let _ = writeln!(ctx.io.stderr, "curl: (55) Failed sending HTTP request");
        return 55;
    }
    let mut resp = Vec::new();
    if stream.read_to_end(&mut resp).is_err() && resp.is_empty() {
        let _ = writeln!(
            ctx.io.stderr,
            "curl: (56) Recv failure: Connection reset by peer"
        );
        return 56;
    }
    let split = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4);
    let Some(body_at) = split else {
        let _ = writeln!(ctx.io.stderr, "curl: (52) Empty reply from server");
        return 52;
    };
    let headers = &resp[..body_at];
    let mut body = resp[body_at..].to_vec();
    let head_text = String::from_utf8_lossy(headers).to_string();
    let status: u16 = head_text
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    if head_text
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    if fail && status >= 400 {
        let _ = writeln!(
            ctx.io.stderr,
            "curl: (22) The requested URL returned error: {status}"
        );
        return 22;
    }
    let mut out = Vec::new();
    if include || head {
        out.extend_from_slice(headers);
    }
    if !head {
        out.extend_from_slice(&body);
    }
    match output {
        Some(path) => match ctx.state.root.resolve_write(&ctx.state.cwd, &path, true) {
            Ok(real) => {
                let new = std::fs::symlink_metadata(&real).is_err();
                let written = std::fs::write(&real, &out);
                if new && written.is_ok() {
                    ctx.state.root.created(&real);
                }
                if written.is_err() {
                    let _ = writeln!(
                        ctx.io.stderr,
                        "curl: (23) Failure writing output to destination"
                    );
                    return 23;
                }
            }
            Err(_) => {
                let _ = writeln!(
                    ctx.io.stderr,
                    "curl: (23) Failure writing output to destination"
                );
                return 23;
            }
        },
        None => {
            let _ = ctx.io.stdout.write_all(&out);
        }
    }
    0
}

/// Decodes a chunked body.
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&data[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok())
            .unwrap_or(0);
        data = &data[eol + 2..];
        if size == 0 || data.len() < size {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = parse_url("http://localhost:8080/index.html").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("localhost", 8080, "/index.html")
        );
        let u = parse_url("127.0.0.1").unwrap();
        assert_eq!((u.port, u.path.as_str()), (80, "/"));
        assert_eq!(parse_url("ftp://x").unwrap_err().0, 1);
    }

    #[test]
    fn chunks() {
        assert_eq!(dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"), b"abcde");
    }
}
