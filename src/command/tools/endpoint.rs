//! Where a database client connects: `psql -h localhost -p 6543`, `redis-cli -p 6380`,
//! `psql postgres://app@localhost:6543/shop`.

use crate::command::invocation::Endpoint;
use crate::command::shell::Word;

/// The host and port a `psql` or `redis-cli` command line names, when it names a port.
pub(super) fn endpoint(program: &str, words: &[Word]) -> Option<Endpoint> {
    let (host_flags, port_flags, default_port, default_host): (&[&str], &[&str], u16, bool) =
        match program {
            // Without `-h`, psql uses a Unix socket: not a published port.
            "psql" | "pg_dump" | "pg_restore" | "pg_isready" => {
                (&["-h", "--host"], &["-p", "--port"], 5432, false)
            }
            "redis-cli" => (&["-h"], &["-p"], 6379, true),
            _ => return None,
        };
    let mut host: Option<String> = default_host.then(|| "127.0.0.1".to_string());
    let mut port: Option<Word> = None;
    let args = words.get(1..).unwrap_or(&[]);
    let mut i = 0;
    while i < args.len() {
        let text = args[i].text.as_str();
        let next = args.get(i + 1);
        if host_flags.contains(&text) {
            host = next.map(|w| w.text.clone());
            i += 2;
            continue;
        }
        if port_flags.contains(&text) {
            port = next.cloned();
            i += 2;
            continue;
        }
        if let Some(value) = text.strip_prefix("--host=") {
            host = Some(value.to_string());
        } else if let Some(value) = text.strip_prefix("--port=") {
            port = Some(Word {
                text: value.to_string(),
                ..args[i].clone()
            });
        } else if text.starts_with("postgres://")
            || text.starts_with("postgresql://")
            || text.starts_with("redis://")
        {
            // A connection URI decides both; its port is not a word of its own.
            return None;
        }
        i += 1;
    }
    let port = port?;
    let number = port.text.parse::<u16>().ok()?;
    Some(Endpoint {
        host: host.unwrap_or_default(),
        port,
        number,
        default_port,
    })
}

#[cfg(test)]
mod tests {
    use crate::command::parse;

    #[test]
    fn database_client_endpoints() {
        let endpoint = |line: &str| {
            parse(line)
                .invocation()
                .and_then(|i| i.endpoint.clone())
                .map(|e| (e.host, e.number, e.default_port))
        };
        assert_eq!(
            endpoint("psql -h localhost -p 6543 -U app shop"),
            Some(("localhost".into(), 6543, 5432))
        );
        assert_eq!(
            endpoint("redis-cli -p 6380 ping"),
            Some(("127.0.0.1".into(), 6380, 6379))
        );
        assert_eq!(
            endpoint("psql -p 6543 shop"),
            Some((String::new(), 6543, 5432))
        );
        assert_eq!(endpoint("psql -h db -U app"), None);
        assert_eq!(endpoint("psql postgres://localhost:6543/x -p 1"), None);
        assert_eq!(endpoint("redis-cli -p $PORT"), None);
    }
}
