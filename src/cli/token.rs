//! `tme token`: the API tokens `tme serve` takes, kept in the database beside the tasks.

use chrono::{DateTime, Utc};

use super::context::Ctx;
use super::error::CliError;
use crate::domain::{ApiToken, Category, Duration, Role, try_parse_when};

/// Makes, lists and revokes the API tokens of `tme serve`.
#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    action: TokenAction,
}

#[derive(Debug, clap::Subcommand)]
enum TokenAction {
    /// Make a token and print its secret (once: only its hash is kept).
    Create {
        /// What the token is called (the journal records its changes as made by it).
        name: String,
        /// read, write or admin.
        #[arg(long, default_value = "read")]
        role: String,
        /// Limit it to tasks in this category and its subcategories.
        #[arg(long)]
        category: Option<String>,
        /// When it stops working: a duration from now (`90d`, `12w`) or a date.
        #[arg(long)]
        expires: Option<String>,
    },
    /// List the tokens (never their secrets).
    List {
        /// Print JSON instead.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token: requests with it are refused from now on.
    Revoke {
        /// The token's name.
        name: String,
    },
}

impl TokenArgs {
    /// Runs `tme token`.
    pub fn run(self, ctx: &Ctx) -> Result<(), CliError> {
        let tm = ctx.engine()?;
        match self.action {
            TokenAction::Create {
                name,
                role,
                category,
                expires,
            } => {
                let role = Role::parse(&role).ok_or_else(|| {
                    CliError::Input(format!("'{role}' is not a role: use read, write or admin"))
                })?;
                let category = category
                    .map(|c| Category::parse(&c).map_err(|e| CliError::Input(e.to_string())))
                    .transpose()?;
                let expires = expires.map(|text| expiry(&text, &tm.time())).transpose()?;
                let (token, secret) = tm.create_token(&name, role, category, expires)?;
                ctx.print(&format!(
                    "Created token '{}' ({}). Its secret, shown only now:\n{secret}\n",
                    token.name,
                    reach(&token)
                ))
            }
            TokenAction::List { json } => {
                let tokens = tm.tokens()?;
                if json {
                    let list: Vec<serde_json::Value> = tokens
                        .iter()
                        .map(|t| {
                            serde_json::json!({
                                "name": t.name,
                                "role": t.role.as_str(),
                                "category": t.category.as_ref().map(Category::as_str),
                                "created": t.created,
                                "expires": t.expires,
                            })
                        })
                        .collect();
                    return ctx.print_json(&list);
                }
                if tokens.is_empty() {
                    return ctx
                        .print("No tokens. Make one with: tme token create NAME --role read\n");
                }
                let now = tm.now();
                let mut out = String::new();
                for token in &tokens {
                    let state = match token.expires {
                        Some(at) if !token.is_live(now) => {
                            format!("expired {}", at.format("%Y-%m-%d"))
                        }
                        Some(at) => format!("until {}", at.format("%Y-%m-%d")),
                        None => "no expiry".into(),
                    };
                    out.push_str(&format!("{}  {}  {state}\n", token.name, reach(token)));
                }
                ctx.print(&out)
            }
            TokenAction::Revoke { name } => {
                tm.revoke_token(&name)?;
                ctx.print(&format!("Revoked token '{name}'.\n"))
            }
        }
    }
}

/// What a token may do, in words: `write, in Work`.
fn reach(token: &ApiToken) -> String {
    match &token.category {
        Some(category) => format!("{}, in {category}", token.role),
        None => token.role.to_string(),
    }
}

/// When a token made now with `--expires TEXT` stops working.
fn expiry(text: &str, time: &crate::domain::TimeContext) -> Result<DateTime<Utc>, CliError> {
    if let Some(delta) = Duration::parse(text).and_then(Duration::delta) {
        return Ok(time.now + delta);
    }
    match try_parse_when(text, time) {
        Some(when) if when.start(time.tz) > time.now => Ok(when.start(time.tz)),
        Some(_) => Err(CliError::Input(format!(
            "--expires {text} is in the past: give a later date or a duration such as 90d"
        ))),
        None => Err(CliError::Input(format!(
            "--expires {text} is neither a duration (90d, 12w) nor a date"
        ))),
    }
}
