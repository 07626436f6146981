//! The password libpq would send when the URL has none: `PGPASSWORD`, else the first line of
//! the password file (`PGPASSFILE`, else `~/.pgpass`) that matches the host, port, database and
//! user. A password file others may read is passed over, as libpq does.

use std::path::PathBuf;

use postgres::config::Host;

/// Sets the password of `config` from the environment or the password file when it has none;
/// `env` reads an environment variable.
pub fn fill(config: &mut postgres::Config, env: &dyn Fn(&str) -> Option<String>) {
    if config.get_password().is_some() {
        return;
    }
    if let Some(password) = env("PGPASSWORD").filter(|p| !p.is_empty()) {
        config.password(password);
        return;
    }
    let Some(file) = env("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|home| PathBuf::from(home).join(".pgpass")))
    else {
        return;
    };
    if !private(&file) {
        if file.exists() {
            tracing::warn!(
                "{} can be read by others, so it is not used (chmod 600 it)",
                file.display()
            );
        }
        return;
    }
    let Ok(text) = std::fs::read_to_string(&file) else {
        return;
    };
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        _ => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or_default().to_string();
    let database = config.get_dbname().unwrap_or(&user).to_string();
    if let Some(password) = lookup(&text, &host, port, &database, &user) {
        config.password(password);
    }
}

/// Whether only its owner may read the file.
#[cfg(unix)]
fn private(file: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn private(file: &std::path::Path) -> bool {
    file.is_file()
}

/// The password of the first line of a password file that matches (`*` matches anything in the
/// first four fields; `\` escapes `:` and `\`).
///
/// ```text
/// db.example.org:5432:tasks:ann:s3cret
/// *:*:*:bob:other
/// ```
pub fn lookup(text: &str, host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    let port = port.to_string();
    let wanted = [host, port.as_str(), database, user];
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split(line);
            let [h, p, d, u, password] = <[String; 5]>::try_from(fields).ok()?;
            [h, p, d, u]
                .iter()
                .zip(wanted)
                .all(|(field, want)| field == "*" || field == want)
                .then_some(password)
        })
}

/// The fields of one line, unescaped.
fn split(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(field)) = (chars.next(), fields.last_mut()) {
                    field.push(next);
                }
            }
            ':' => fields.push(String::new()),
            other => {
                if let Some(field) = fields.last_mut() {
                    field.push(other);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# a comment\n\
        db.example.org:5432:tasks:ann:first\n\
        db.example.org:*:*:ann:second\n\
        *:*:*:bob:with\\:colon\\\\\n\
        short:line\n";

    #[test]
    fn the_first_matching_line_gives_the_password() {
        assert_eq!(
            lookup(FILE, "db.example.org", 5432, "tasks", "ann").as_deref(),
            Some("first")
        );
        assert_eq!(
            lookup(FILE, "db.example.org", 6000, "other", "ann").as_deref(),
            Some("second")
        );
        assert_eq!(
            lookup(FILE, "anywhere", 1, "x", "bob").as_deref(),
            Some("with:colon\\")
        );
        assert_eq!(lookup(FILE, "elsewhere", 5432, "tasks", "ann"), None);
        assert_eq!(lookup(FILE, "short", 5432, "line", "x"), None);
    }

    fn config(url: &str) -> postgres::Config {
        url.parse().unwrap_or_else(|_| postgres::Config::new())
    }

    #[test]
    fn the_url_then_pgpassword_then_the_file() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("pass");
        std::fs::write(&file, "h:5432:d:u:from-file\n")?;
        let path = file.display().to_string();
        let env = |with_password: bool| {
            let path = path.clone();
            move |name: &str| match name {
                "PGPASSWORD" if with_password => Some("from-env".to_string()),
                "PGPASSFILE" => Some(path.clone()),
                _ => None,
            }
        };
        let mut given = config("postgres://u:in-url@h/d");
        fill(&mut given, &env(true));
        assert_eq!(given.get_password(), Some(&b"in-url"[..]));
        let mut from_env = config("postgres://u@h/d");
        fill(&mut from_env, &env(true));
        assert_eq!(from_env.get_password(), Some(&b"from-env"[..]));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644))?;
            let mut open_to_all = config("postgres://u@h/d");
            fill(&mut open_to_all, &env(false));
            assert_eq!(
                open_to_all.get_password(),
                None,
                "a file others read is not used"
            );
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
        }
        let mut from_file = config("postgres://u@h/d");
        fill(&mut from_file, &env(false));
        assert_eq!(from_file.get_password(), Some(&b"from-file"[..]));
        Ok(())
    }
}
