use super::*;
use crate::store::Database;

type TestResult = Result<(), Box<dyn std::error::Error>>;

struct Setup {
    dir: tempfile::TempDir,
    env: Environment,
}

fn setup() -> Result<Setup, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let cwd = dir.path().join("work");
    std::fs::create_dir_all(&cwd)?;
    let env = Environment {
        vars: BTreeMap::new(),
        cwd,
        dirs: Some(Dirs {
            config: dir.path().join("config"),
            data: dir.path().join("data"),
            log: dir.path().join("log"),
        }),
    };
    Ok(Setup { dir, env })
}

fn write(path: &Path, text: &str) -> Result<(), std::io::Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

#[test]
fn defaults_without_any_file() -> TestResult {
    let s = setup()?;
    let config = load(&s.env, &Flags::default())?;
    assert_eq!(
        config.database.value,
        Database::File(s.dir.path().join("data/tme.redb"))
    );
    assert_eq!(config.database.source, Source::Default);
    assert_eq!(config.week_start.value, Weekday::Mon);
    assert_eq!(config.log_level.value, LogLevel::Info);
    assert_eq!(config.file, None);
    Ok(())
}

#[test]
fn later_layers_win() -> TestResult {
    let mut s = setup()?;
    let file = s
        .env
        .dirs
        .as_ref()
        .ok_or("dirs")?
        .config
        .join("config.yaml");
    write(
        &file,
        "database_url: /from/file.redb\nweek_start: sunday\nlog:\n  level: warn\nurgency:\n  due: 20\n",
    )?;
    let config = load(&s.env, &Flags::default())?;
    assert_eq!(
        config.database.value,
        Database::File(PathBuf::from("/from/file.redb"))
    );
    assert_eq!(config.database.source, Source::File(file.clone()));
    assert_eq!(config.week_start.value, Weekday::Sun);
    assert_eq!(config.urgency.value.due, 20.0);
    assert_eq!(
        config.urgency.value.blocking,
        UrgencyWeights::default().blocking
    );

    write(
        &s.env.cwd.join(".env"),
        "TME_DATABASE_URL=redb:///from/dotenv.redb\nDATABASE_URL=/not/ours\n",
    )?;
    let config = load(&s.env, &Flags::default())?;
    assert_eq!(
        config.database.value,
        Database::File(PathBuf::from("/from/file.redb")),
        "a .env in a directory nobody trusted does not choose the database"
    );
    assert!(
        config.warnings[0].contains("sets TME_DATABASE_URL, which only a trusted directory may"),
        "{:?}",
        config.warnings
    );
    let cwd = s.env.cwd.display().to_string();
    s.env
        .vars
        .insert("TME_TRUSTED_DIRS".into(), format!("/elsewhere:{cwd}"));
    let config = load(&s.env, &Flags::default())?;
    assert_eq!(
        config.database.value,
        Database::File(PathBuf::from("/from/dotenv.redb"))
    );
    assert!(matches!(config.database.source, Source::DotEnv(_, _)));
    assert!(config.warnings.is_empty());

    s.env
        .vars
        .insert("TME_DATABASE_URL".into(), "/from/env.redb".into());
    s.env
        .vars
        .insert("DATABASE_URL".into(), "/someone/else.redb".into());
    s.env.vars.insert("TME_LOG_LEVEL".into(), "debug".into());
    let config = load(&s.env, &Flags::default())?;
    assert_eq!(
        config.database.value,
        Database::File(PathBuf::from("/from/env.redb"))
    );
    assert_eq!(
        config.database.source,
        Source::Env("TME_DATABASE_URL".into())
    );
    assert_eq!(config.log_level.value, LogLevel::Debug);

    let flags = Flags {
        db: Some(PathBuf::from("/from/flag.redb")),
        ..Flags::default()
    };
    let config = load(&s.env, &flags)?;
    assert_eq!(
        config.database.value,
        Database::File(PathBuf::from("/from/flag.redb"))
    );
    assert_eq!(config.database.source, Source::Flag("--db"));
    Ok(())
}

#[test]
fn a_leading_tilde_means_home() -> TestResult {
    let mut s = setup()?;
    s.env.vars.insert("HOME".into(), "/home/ann".into());
    s.env
        .vars
        .insert("TME_DATABASE_URL".into(), "~/tasks/tme.redb".into());
    assert_eq!(
        load(&s.env, &Flags::default())?.database.value,
        Database::File(PathBuf::from("/home/ann/tasks/tme.redb"))
    );
    Ok(())
}

#[test]
fn the_file_is_found_in_order() -> TestResult {
    let mut s = setup()?;
    let platform = s
        .env
        .dirs
        .as_ref()
        .ok_or("dirs")?
        .config
        .join("config.json");
    write(&platform, r#"{"week_start": "sunday"}"#)?;
    assert_eq!(load(&s.env, &Flags::default())?.file, Some(platform));
    let local = s.env.cwd.join("conf/config.yaml");
    write(&local, "week_start: monday\n")?;
    assert_eq!(load(&s.env, &Flags::default())?.file, Some(local));
    let from_env = s.dir.path().join("env.yaml");
    write(&from_env, "")?;
    s.env
        .vars
        .insert("TME_CONFIG".into(), from_env.display().to_string());
    assert_eq!(load(&s.env, &Flags::default())?.file, Some(from_env));
    let from_flag = s.dir.path().join("flag.yml");
    write(&from_flag, "")?;
    let flags = Flags {
        config: Some(from_flag.clone()),
        ..Flags::default()
    };
    assert_eq!(load(&s.env, &flags)?.file, Some(from_flag));
    Ok(())
}

fn error_for(name: &str, text: &str) -> Result<String, Box<dyn std::error::Error>> {
    let s = setup()?;
    let path = s.dir.path().join(name);
    write(&path, text)?;
    let flags = Flags {
        config: Some(path.clone()),
        ..Flags::default()
    };
    let err = load(&s.env, &flags).err().ok_or("bad config accepted")?;
    Ok(err.to_string().replace(&path.display().to_string(), name))
}

#[test]
fn bad_files_name_the_file_the_line_and_the_key() -> TestResult {
    assert_eq!(
        error_for("c.yaml", "week_start: monday\nlog:\n  level: loud\n")?,
        "c.yaml, line 3: log.level: unknown variant `loud`, expected one of `error`, `warn`, `info`, `debug`, `trace`"
    );
    assert_eq!(
        error_for("c.yaml", "week_start: monday\nweekstart: sunday\n")?,
        "c.yaml, line 2: weekstart: unknown field `weekstart`, expected one of `database_url`, `week_start`, `time_zone`, `urgency`, `log`, `backup`, `keys`, `theme`, `contexts`, `schedule`, `hooks_dir`, `hooks_timeout`, `rules`, `calendar_file`, `plugins`, `notify`, `sync`, `recurring`, `types`"
    );
    assert_eq!(
        error_for("c.yaml", "urgency:\n  due: lots\n")?,
        "c.yaml, line 2: urgency.due: invalid type: string \"lots\", expected f64"
    );
    assert_eq!(
        error_for("c.yaml", "time_zone: Mars/Olympus\n")?,
        "c.yaml, line 1: time_zone: 'Mars/Olympus' is not a time zone; use a name like Europe/Berlin or UTC"
    );
    assert!(error_for("c.yaml", "a: [\n")?.starts_with("c.yaml, line"));
    assert_eq!(
        error_for("c.json", "{\n  \"log\": {\"keep\": -1}\n}")?,
        "c.json, line 2: log.keep: invalid value: integer `-1`, expected usize"
    );
    assert!(
        error_for("c.yaml", "database_url: \"mysql://x\"\n")?
            .contains("database_url: database URL 'mysql://x' is not understood")
    );
    Ok(())
}

#[test]
fn bad_variables_are_named() -> TestResult {
    let mut s = setup()?;
    s.env.vars.insert("TME_NOW".into(), "yesterday".into());
    let err = load(&s.env, &Flags::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with("environment TME_NOW: 'yesterday' is not an RFC 3339 time"),
        "{err}"
    );
    s.env
        .vars
        .insert("TME_NOW".into(), "2026-11-26T09:00:00+01:00".into());
    let config = load(&s.env, &Flags::default())?;
    assert_eq!(
        config.now.value.map(|t| t.to_rfc3339()),
        Some("2026-11-26T08:00:00+00:00".into())
    );
    Ok(())
}

#[test]
fn time_zone_comes_from_tz_first() -> TestResult {
    let mut s = setup()?;
    s.env.vars.insert("TZ".into(), "America/New_York".into());
    let config = load(&s.env, &Flags::default())?;
    assert_eq!(config.time_zone.value, chrono_tz::America::New_York);
    assert_eq!(config.time_zone.source, Source::Env("TZ".into()));
    Ok(())
}

#[test]
fn without_a_home_a_database_path_is_enough() -> TestResult {
    let mut s = setup()?;
    s.env.dirs = None;
    assert!(matches!(
        load(&s.env, &Flags::default()),
        Err(ConfigError::NoHome)
    ));
    let flags = Flags {
        db: Some(PathBuf::from("/tmp/x/t.redb")),
        ..Flags::default()
    };
    assert_eq!(load(&s.env, &flags)?.dirs.log, PathBuf::from("/tmp/x/log"));
    Ok(())
}

#[test]
fn keys_theme_and_contexts() -> TestResult {
    let s = setup()?;
    let path = s.dir.path().join("tui.yaml");
    write(
        &path,
        "keys:\n  done: [z, ctrl-d]\ntheme:\n  preset: light\n  overdue: \"#ff0000\"\ncontexts:\n  work: \"#Work\"\n",
    )?;
    let flags = Flags {
        config: Some(path),
        ..Flags::default()
    };
    let config = load(&s.env, &flags)?;
    assert_eq!(
        config.keys.value.get(&Action::Done),
        Some(&vec![KeyCombo::char('z'), KeyCombo::ctrl('d')])
    );
    assert_eq!(config.theme.value.preset, Preset::Light);
    assert_eq!(config.theme.value.overdue, Some(ColorValue::Rgb(255, 0, 0)));
    assert_eq!(
        config.contexts.value.get("work").map(String::as_str),
        Some("#Work")
    );
    let entries = config.entries();
    assert!(
        entries
            .iter()
            .any(|(k, v, _)| k == "keys.done" && v == "z C-d")
    );
    assert!(
        entries
            .iter()
            .any(|(k, v, _)| k == "theme.overdue" && v == "#ff0000")
    );
    Ok(())
}

#[test]
fn entries_list_every_setting_with_its_source() -> TestResult {
    let s = setup()?;
    let config = load(&s.env, &Flags::default())?;
    let keys: Vec<String> = config.entries().into_iter().map(|(k, _, _)| k).collect();
    assert!(keys.contains(&"database_url".to_string()));
    assert!(keys.contains(&"urgency.blocking".to_string()));
    assert!(keys.contains(&"log.keep".to_string()));
    Ok(())
}

#[test]
fn the_documented_config_file_states_the_defaults() -> TestResult {
    let s = setup()?;
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conf/config.yaml");
    let defaults = load(&s.env, &Flags::default())?;
    let flags = Flags {
        config: Some(shipped.clone()),
        ..Flags::default()
    };
    let documented = load(&s.env, &flags)?;
    assert_eq!(documented.file, Some(shipped));
    assert_eq!(documented.week_start.value, defaults.week_start.value);
    assert_eq!(documented.urgency.value, defaults.urgency.value);
    assert_eq!(documented.log_level.value, defaults.log_level.value);
    assert_eq!(documented.log_keep.value, defaults.log_keep.value);
    assert_eq!(documented.database.value, defaults.database.value);
    assert_eq!(documented.schedule(), defaults.schedule());
    Ok(())
}

#[test]
fn the_commented_examples_in_the_documented_file_are_valid() -> TestResult {
    let s = setup()?;
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conf/config.yaml"),
    )?;
    // Every commented-out `# key:` block, uncommented, must load.
    let mut examples = String::new();
    let mut inside = false;
    for line in shipped.lines() {
        let starts_block = line.strip_prefix("# ").is_some_and(|rest| {
            rest.split_once(':').is_some_and(|(key, _)| {
                !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
        });
        if starts_block || (inside && line.starts_with("#   ")) {
            examples.push_str(&line[2..]);
            examples.push('\n');
            inside = true;
        } else {
            inside = false;
        }
    }
    assert!(
        examples.contains("keys:")
            && examples.contains("contexts:")
            && examples.contains("database_url:")
            && examples.contains("recurring:")
            && examples.contains("types:")
            && examples.contains("rules:")
            && examples.contains("plugins:")
            && examples.contains("notify:"),
        "{examples}"
    );
    let path = s.dir.path().join("examples.yaml");
    write(&path, &examples)?;
    let flags = Flags {
        config: Some(path),
        ..Flags::default()
    };
    let config = load(&s.env, &flags).map_err(|e| format!("{e}\n{examples}"))?;
    assert_eq!(config.contexts.value.len(), 2);
    assert_eq!(config.theme.value.preset, Preset::Light);
    let keys: Vec<&str> = config
        .recurring
        .value
        .iter()
        .map(|s| s.key.as_str())
        .collect();
    assert_eq!(keys, ["standup", "Water the plants"]);
    let experiment = config
        .types
        .value
        .get("experiment")
        .ok_or("no experiment type")?;
    assert_eq!(experiment.attrs.len(), 6);
    assert_eq!(config.rules.value.len(), 2);
    Ok(())
}

#[test]
fn bad_types_name_the_key() -> TestResult {
    let s = setup()?;
    let cases = [
        (
            "types:
  lab:
    samples: { kind: integer }
",
            "types.lab.samples.kind: 'integer' is not a kind",
        ),
        (
            "types:
  lab:
    due: { kind: date }
",
            "types.lab.due: 'due' is a capture key",
        ),
        (
            "types:
  lab:
    n: { kind: number, default: many }
",
            "types.lab.n.default: 'many' is not a number",
        ),
        (
            "types:
  lab:
    stage: { kind: enum }
",
            "types.lab.stage.kind: an enum needs its values",
        ),
        (
            "types:
  'two words':
    n: { kind: number }
",
            "types.two words",
        ),
    ];
    for (text, wanted) in cases {
        let path = s.dir.path().join("types.yaml");
        write(&path, text)?;
        let flags = Flags {
            config: Some(path),
            ..Flags::default()
        };
        let err = load(&s.env, &flags).err().ok_or("accepted")?.to_string();
        assert!(err.contains(wanted), "{text}: {err}");
    }
    Ok(())
}
