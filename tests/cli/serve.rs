//! `tme serve` driven over HTTP as a client would: the real binary on a free port of
//! 127.0.0.1, tokens made with `tme token`, every answer read back (status, headers, problem
//! documents), and a clean stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use crate::support::{Sandbox, TestResult};
use crate::webhook;

/// A running `tme serve` on the sandbox's database.
pub(crate) struct Server {
    child: Child,
    /// Its address (`http://127.0.0.1:PORT`).
    pub(crate) base: String,
    agent: ureq::Agent,
}

/// What the server answered.
struct Answer {
    status: u16,
    content_type: String,
    etag: Option<String>,
    location: Option<String>,
    body: serde_json::Value,
}

impl Server {
    pub(crate) fn start(s: &Sandbox) -> Server {
        Server::start_with(s, &[])
    }

    /// [`Server::start`] with more environment (`TME_HOOKS_DIR`, say).
    fn start_with(s: &Sandbox, env: &[(&str, &std::path::Path)]) -> Server {
        let mut command = s.process("tme");
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tme serve: {e}"));
        let mut line = String::new();
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("{e}"));
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .trim_end_matches("/api/v1")
            .to_string();
        // A connection per request: twice in the full suite under load a pooled connection
        // was found closed (ureq: "Peer disconnected"); keep-alive itself is tested apart
        // (`a_refused_request_with_a_body_keeps_the_connection`).
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_idle_connections(0)
            .build()
            .into();
        Server { child, base, agent }
    }

    fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<&str>) -> Answer {
        self.request(method, path, token, body, &[])
    }

    /// [`Server::call`] with a token and extra headers.
    fn send(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<&str>,
        headers: &[(&str, String)],
    ) -> Answer {
        self.request(method, path, Some(token), body, headers)
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
        headers: &[(&str, String)],
    ) -> Answer {
        let url = format!("{}{path}", self.base);
        let mut request = http_request(method, &url, token);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = match body {
            Some(body) => self.agent.run(
                request
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
            None => self
                .agent
                .run(request.body(()).unwrap_or_else(|e| panic!("{e}"))),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (content_type, etag, location) = (
            header("content-type").unwrap_or_default(),
            header("etag"),
            header("location"),
        );
        let text = response
            .body_mut()
            .read_to_string()
            .unwrap_or_else(|e| panic!("{e}"));
        Answer {
            status: response.status().as_u16(),
            content_type,
            etag,
            location,
            body: serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        }
    }

    fn get(&self, path: &str, token: &str) -> Answer {
        self.call("GET", path, Some(token), None)
    }

    fn post(&self, path: &str, token: &str, body: &str) -> Answer {
        self.call("POST", path, Some(token), Some(body))
    }

    /// Sends SIGTERM and waits for the server to end; its exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        let pid = nix::unistd::Pid::from_raw(i32::try_from(self.child.id()).unwrap_or(0));
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        self.child.wait().unwrap_or_else(|e| panic!("{e}"))
    }
}

/// POSTs `body` over a plain socket, ignoring a write the server cut short; what it answered.
fn raw_post(server: &Server, path: &str, token: &str, body: &str) -> String {
    use std::io::{Read, Write};
    let address = server.base.trim_start_matches("http://");
    let mut socket =
        std::net::TcpStream::connect(address).unwrap_or_else(|e| panic!("{address}: {e}"));
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = socket
        .write_all(head.as_bytes())
        .and_then(|()| socket.write_all(body.as_bytes()));
    let mut answer = String::new();
    let _ = socket.read_to_string(&mut answer);
    answer
}

fn http_request(method: &str, url: &str, token: Option<&str>) -> ureq::http::request::Builder {
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Makes a token; returns its secret.
pub(crate) fn token(s: &Sandbox, args: &[&str]) -> String {
    let out = s.ok(&[&["token", "create"][..], args].concat());
    out.lines()
        .find(|l| l.starts_with("tme_"))
        .unwrap_or_else(|| panic!("no secret in {out}"))
        .to_string()
}

/// A problem document with this status whose detail says `says`.
fn problem(answer: &Answer, status: u16, says: &str) {
    assert_eq!(answer.status, status, "{:?}", answer.body);
    assert_eq!(answer.content_type, "application/problem+json");
    assert_eq!(answer.body["status"], status);
    let detail = answer.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(says), "{detail}");
}

#[test]
fn tokens_decide_who_may_do_what() -> TestResult {
    let mut s = Sandbox::new();
    let writer = token(&s, &["ci-bot", "--role", "write"]);
    let reader = token(&s, &["viewer"]);
    let work = token(&s, &["work-bot", "--role", "write", "--category", "Work"]);
    let old = token(&s, &["old", "--expires", "2026-11-27"]);
    s.ok(&["add", "Pay rent", "category:Finance"]);
    s.ok(&["add", "Fix the build", "category:Work.Backend"]);
    let server = Server::start(&s);

    let health = server.call("GET", "/api/v1/health", None, None);
    assert_eq!(
        (health.status, health.body["status"].as_str()),
        (200, Some("ok"))
    );
    problem(
        &server.call("GET", "/api/v1/tasks", None, None),
        401,
        "needs an API token",
    );
    problem(
        &server.get("/api/v1/tasks", "tme_made-up"),
        401,
        "not known",
    );
    problem(
        &server.call("GET", "/api/v1/tasks", Some(""), None),
        401,
        "must be 'Bearer'",
    );

    let all = server.get("/api/v1/tasks", &reader);
    assert_eq!(all.status, 200);
    assert_eq!(all.body["tasks"].as_array().map(Vec::len), Some(2));
    problem(
        &server.post("/api/v1/tasks", &reader, r#"{"capture":"Sneak in"}"#),
        403,
        "the token 'viewer' is for read; this needs write",
    );

    // A token limited to Work sees and adds only within Work.
    let seen = server.get("/api/v1/tasks", &work);
    let titles: Vec<&str> = seen.body["tasks"]
        .as_array()
        .map(|l| l.iter().filter_map(|t| t["title"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(titles, ["Fix the build"]);
    problem(
        &server.get("/api/v1/tasks?filter=category:Finance", &work),
        403,
        "the token 'work-bot' reaches Work only",
    );
    problem(
        &server.get("/api/v1/tasks/1", &work),
        404,
        "task 1 does not exist",
    );
    assert_eq!(server.get("/api/v1/tasks/2", &work).status, 200);
    problem(
        &server.post("/api/v1/tasks", &work, r#"{"capture":"Elsewhere #Home"}"#),
        403,
        "may only add or keep tasks within Work",
    );
    let added = server.post("/api/v1/tasks", &work, r#"{"capture":"Deploy #Work.Ops"}"#);
    assert_eq!(added.status, 201, "{:?}", added.body);
    // Nor may it move a task out of Work: refused, and the task left as it was.
    let id = added.body["id"].as_u64().unwrap_or_default();
    let path = format!("/api/v1/tasks/{id}");
    problem(
        &server.send(
            "PATCH",
            &path,
            &work,
            Some(r#"{"modify":"category:Home"}"#),
            &[],
        ),
        403,
        "may only add or keep tasks within Work",
    );
    assert_eq!(server.get(&path, &work).body["category"], "Work.Ops");

    // Revoked, or the expiry date passed (the pinned clock is 2026-11-26): refused at once.
    assert_eq!(server.get("/api/v1/tasks", &old).status, 200);
    s.ok(&["token", "revoke", "ci-bot"]);
    problem(&server.get("/api/v1/tasks", &writer), 401, "revoked");
    assert!(server.stop().success(), "SIGTERM ends the server cleanly");
    s.set_now("2026-11-28T09:00:00+01:00");
    let server = Server::start(&s);
    problem(&server.get("/api/v1/tasks", &old), 401, "has expired");
    assert_eq!(server.get("/api/v1/tasks", &reader).status, 200);
    Ok(())
}

#[test]
fn tasks_are_added_listed_and_read() -> TestResult {
    let s = Sandbox::new();
    let writer = token(&s, &["ci-bot", "--role", "write"]);
    let server = Server::start(&s);

    let added = server.post(
        "/api/v1/tasks",
        &writer,
        r#"{"capture":"Pay rent #Finance due:eom +home pri:H"}"#,
    );
    assert_eq!(added.status, 201, "{:?}", added.body);
    assert_eq!(added.location.as_deref(), Some("/api/v1/tasks/1"));
    let task = &added.body;
    assert_eq!(
        (
            task["title"].as_str(),
            task["category"].as_str(),
            task["due"].as_str()
        ),
        (Some("Pay rent"), Some("Finance"), Some("2026-11-30"))
    );
    let etag = added.etag.clone().unwrap_or_default();
    assert_eq!(
        etag,
        format!("\"{}\"", task["version"].as_str().unwrap_or_default())
    );

    // Fields instead of capture text: a value is never read as another field.
    let fields = server.post(
        "/api/v1/tasks",
        &writer,
        r#"{"title":"due:tomorrow is a title","category":"Work","tags":["a"],"due":"friday","priority":"L"}"#,
    );
    assert_eq!(fields.status, 201, "{:?}", fields.body);
    assert_eq!(fields.body["title"], "due:tomorrow is a title");
    assert_eq!(fields.body["due"], "2026-11-27");
    assert_eq!(fields.body["priority"], "L");

    let one = server.get("/api/v1/tasks/1", &writer);
    assert_eq!((one.status, one.etag.clone()), (200, Some(etag.clone())));
    s.ok(&["modify", "1", "+paid"]);
    let changed = server.get("/api/v1/tasks/1", &writer);
    assert_ne!(changed.etag, Some(etag), "a change gives a new version");

    let history = s.ok(&["history", "1"]);
    assert!(history.contains("ci-bot via api"), "{history}");

    // Pages by id, with the cursor of the page before.
    for i in 3..=7 {
        server.post(
            "/api/v1/tasks",
            &writer,
            &format!(r#"{{"capture":"Task {i} +bulk"}}"#),
        );
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/tasks?filter=%2Bbulk&limit=2".to_string();
    loop {
        let page = server.get(&path, &writer);
        assert_eq!(page.status, 200, "{:?}", page.body);
        seen.extend(
            page.body["tasks"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t["id"].as_u64()),
        );
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/tasks?filter=%2Bbulk&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, [3, 4, 5, 6, 7]);
    Ok(())
}

#[test]
fn bad_requests_get_problem_documents_never_a_server_error() {
    let s = Sandbox::new();
    let writer = token(&s, &["ci-bot", "--role", "write"]);
    let server = Server::start(&s);
    for (method, path, body, status, says) in [
        (
            "POST",
            "/api/v1/tasks",
            Some(r#"{"capture":"x due:someday-ish"}"#),
            422,
            "due:someday-ish",
        ),
        (
            "POST",
            "/api/v1/tasks",
            Some(r#"{"capture":"Pay","title":"Pay"}"#),
            422,
            "not both",
        ),
        (
            "POST",
            "/api/v1/tasks",
            Some(r#"{}"#),
            422,
            "needs capture text",
        ),
        (
            "POST",
            "/api/v1/tasks",
            Some(r#"{"title":"Pay rent","tags":["two words"]}"#),
            422,
            "tag 'two words'",
        ),
        (
            "POST",
            "/api/v1/tasks",
            Some(r#"{"capture":"Pay category:Bad!Name"}"#),
            422,
            "category 'Bad!Name' contains '!'",
        ),
        (
            "POST",
            "/api/v1/tasks",
            Some(r#"{"capture": 3}"#),
            422,
            "capture",
        ),
        ("POST", "/api/v1/tasks", Some("not json"), 400, ""),
        (
            "POST",
            "/api/v1/tasks",
            Some(r#"{"capture":"Pay rent","category":"Finance"}"#),
            422,
            "capture text carries its own fields",
        ),
        (
            "POST",
            "/api/v1/tasks",
            Some(r#"{"title":"Pay rent","due":null}"#),
            422,
            "invalid type: null",
        ),
        (
            "POST",
            "/api/v1/tasks/1/dependencies",
            Some(r#"{"on":9223372036854775808}"#),
            422,
            "9223372036854775808 is not a task id",
        ),
        (
            "GET",
            "/api/v1/tasks/9223372036854775808",
            None,
            400,
            "is not a task id",
        ),
        (
            "GET",
            "/api/v1/tasks/1/finish",
            None,
            404,
            "'finish' is not an action on a task",
        ),
        (
            "GET",
            "/api/v1/nowhere",
            None,
            404,
            "/api/v1/openapi.json lists them",
        ),
        (
            "POST",
            "/api/v1/tasks",
            Some(r#"{"capture":"x","colour":"red"}"#),
            422,
            "colour",
        ),
        (
            "GET",
            "/api/v1/tasks?limit=0",
            None,
            400,
            "limit must be 1 to 500",
        ),
        ("GET", "/api/v1/tasks?limit=many", None, 400, "limit"),
        (
            "GET",
            "/api/v1/tasks?cursor=abc",
            None,
            400,
            "'abc' is not a cursor",
        ),
        (
            "GET",
            "/api/v1/tasks?filter=due:never-ever",
            None,
            422,
            "never-ever",
        ),
        (
            "GET",
            "/api/v1/tasks/zero",
            None,
            400,
            "'zero' is not a task id",
        ),
        ("GET", "/api/v1/tasks/0", None, 400, "'0' is not a task id"),
        (
            "GET",
            "/api/v1/tasks/123456",
            None,
            404,
            "task 123456 does not exist",
        ),
        (
            "GET",
            "/elsewhere",
            None,
            404,
            "/elsewhere is not an address of this API",
        ),
    ] {
        let answer = server.call(method, path, Some(&writer), body);
        problem(&answer, status, says);
    }
    problem(
        &server.call("DELETE", "/api/v1/tasks", Some(&writer), None),
        405,
        "does not take that method",
    );
    // A body over the limit (sent whole, on a socket of its own: the server may answer before
    // reading it all).
    let huge = format!(r#"{{"capture":"{}"}}"#, "x".repeat(3 * 1024 * 1024));
    let answer = raw_post(&server, "/api/v1/tasks", &writer, &huge);
    assert!(
        answer.starts_with("HTTP/1.1 413") && answer.contains("application/problem+json"),
        "{answer}"
    );
    assert_eq!(
        server.get("/api/v1/tasks", &writer).body["tasks"],
        serde_json::json!([])
    );
}

#[test]
fn changes_honour_if_match_and_lose_no_update() {
    let s = Sandbox::new();
    let writer = token(&s, &["ci-bot", "--role", "write"]);
    let reader = token(&s, &["viewer"]);
    s.ok(&["add", "Pay rent", "category:Finance"]);
    s.ok(&["add", "Call the bank", "dep:1"]);
    let server = Server::start(&s);
    let seen = server
        .get("/api/v1/tasks/1", &writer)
        .etag
        .unwrap_or_default();

    // Someone else changes the task meanwhile: the stale version is refused, with the task now.
    s.ok(&["modify", "1", "+urgent"]);
    let with = |version: &str| vec![("if-match", version.to_string())];
    let stale = server.send(
        "PATCH",
        "/api/v1/tasks/1",
        &writer,
        Some(r#"{"modify":"due:fri"}"#),
        &with(&seen),
    );
    problem(&stale, 412, "task 1 changed since the version you sent");
    let current = &stale.body["task"];
    assert_eq!(
        current["tags"],
        serde_json::json!(["urgent"]),
        "{current:?}"
    );
    assert_eq!(
        current["due"],
        serde_json::Value::Null,
        "the stale change was applied"
    );
    let now = format!("\"{}\"", current["version"].as_str().unwrap_or_default());
    assert_ne!(now, seen);

    let patched = server.send(
        "PATCH",
        "/api/v1/tasks/1",
        &writer,
        Some(r#"{"modify":"due:fri -urgent","title":"Pay the rent"}"#),
        &with(&now),
    );
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    assert_eq!(
        (patched.body["title"].as_str(), patched.body["due"].as_str()),
        (Some("Pay the rent"), Some("2026-11-27"))
    );
    assert_eq!(patched.body["tags"], serde_json::Value::Null);
    // Without If-Match the change is applied as usual; `*` matches any version.
    let noted = server.post(
        "/api/v1/tasks/1/annotate",
        &writer,
        r#"{"text":"asked the landlord"}"#,
    );
    assert_eq!(noted.status, 200, "{:?}", noted.body);
    let started = server.send("POST", "/api/v1/tasks/1/start", &writer, None, &with("*"));
    assert_eq!(
        (started.status, started.body["status"].as_str()),
        (200, Some("started"))
    );
    let stopped = server.send("POST", "/api/v1/tasks/1/stop", &writer, None, &[]);
    assert_eq!(
        (stopped.status, stopped.body["status"].as_str()),
        (200, Some("pending"))
    );

    // Task 2 waits on task 1: completing it first is a conflict the client can show.
    problem(
        &server.send("POST", "/api/v1/tasks/2/done", &writer, None, &[]),
        409,
        "",
    );
    problem(
        &server.send(
            "POST",
            "/api/v1/tasks/1/done",
            &writer,
            None,
            &with("\"a\" \"b\""),
        ),
        400,
        "If-Match must be * or versions",
    );
    // A version may be sent bare, as people type it.
    let bare = server
        .get("/api/v1/tasks/1", &writer)
        .etag
        .unwrap_or_default();
    let done = server.send(
        "POST",
        "/api/v1/tasks/1/done",
        &writer,
        None,
        &with(bare.trim_matches('"')),
    );
    assert_eq!(
        (done.status, done.body["status"].as_str()),
        (200, Some("completed"))
    );
    // What the task's state forbids is a conflict with it.
    problem(
        &server.send("POST", "/api/v1/tasks/1/done", &writer, None, &[]),
        409,
        "task 1 is already completed",
    );
    let deleted = server.send("DELETE", "/api/v1/tasks/2", &writer, None, &[]);
    assert_eq!(
        (deleted.status, deleted.body["status"].as_str()),
        (200, Some("deleted"))
    );

    problem(
        &server.send("POST", "/api/v1/tasks/1/done", &reader, None, &[]),
        403,
        "needs write",
    );
    problem(
        &server.send("PATCH", "/api/v1/tasks/1", &writer, Some("{}"), &[]),
        422,
        "nothing to change",
    );
    problem(
        &server.send(
            "PATCH",
            "/api/v1/tasks/1",
            &writer,
            Some(r#"{"modify":"Pay the landlord","title":"Pay rent"}"#),
            &[],
        ),
        422,
        "the title is given twice",
    );
    problem(
        &server.send(
            "PATCH",
            "/api/v1/tasks/1",
            &writer,
            Some(r#"{"modify":"due:whenever"}"#),
            &[],
        ),
        422,
        "whenever",
    );
    problem(
        &server.send("POST", "/api/v1/tasks/77/done", &writer, None, &[]),
        404,
        "task 77",
    );
    problem(
        &server.send("POST", "/api/v1/tasks/1/finish", &writer, None, &[]),
        404,
        "'finish' is not an action",
    );
    let history = s.ok(&["history", "1"]);
    assert_eq!(history.matches("ci-bot via api").count(), 5, "{history}");
}

/// Opens `GET /api/v1/events` on a socket of its own (after `last` when given); returns the
/// reader of the stream, the head of the answer read off.
fn subscribe(server: &Server, token: &str, last: Option<&str>) -> BufReader<std::net::TcpStream> {
    use std::io::Write;
    let address = server.base.trim_start_matches("http://");
    let mut socket =
        std::net::TcpStream::connect(address).unwrap_or_else(|e| panic!("{address}: {e}"));
    socket
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap_or_else(|e| panic!("{e}"));
    let resume = last.map_or(String::new(), |id| format!("Last-Event-ID: {id}\r\n"));
    let head = format!(
        "GET /api/v1/events HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n{resume}\r\n"
    );
    socket
        .write_all(head.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut reader = BufReader::new(socket);
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    while line.trim() != "" {
        line.clear();
        reader
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    reader
}

/// The next event on a stream: its id and its data, parsed.
fn next_event(stream: &mut BufReader<std::net::TcpStream>) -> (String, serde_json::Value) {
    let (mut id, mut data) = (String::new(), None);
    loop {
        let mut line = String::new();
        stream
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("no event came: {e}"));
        if let Some(rest) = line.strip_prefix("id: ") {
            id = rest.trim().to_string();
        } else if let Some(rest) = line.strip_prefix("data: ") {
            data = serde_json::from_str(rest.trim()).ok();
        } else if line.trim().is_empty() && data.is_some() {
            return (id, data.unwrap_or_default());
        }
    }
}

#[test]
fn the_event_stream_tells_of_every_commit_and_resumes_without_a_gap() {
    let s = Sandbox::new();
    let reader = token(&s, &["viewer"]);
    let work = token(&s, &["work-bot", "--category", "Work"]);
    let server = Server::start(&s);
    let mut all = subscribe(&server, &reader, None);
    let mut limited = subscribe(&server, &work, None);

    // Another process's command reaches the stream within a second of its end.
    s.ok(&["add", "Pay rent", "category:Finance"]);
    let started = std::time::Instant::now();
    let (first, data) = next_event(&mut all);
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(1),
        "the event took {took:?}"
    );
    assert_eq!(data["changes"][0]["title"], "Pay rent");
    assert_eq!(data["changes"][0]["op"], "add");
    assert_eq!(data["actor"], "tester via cli");

    s.ok(&["add", "Fix the build", "category:Work.Backend"]);
    s.ok(&["modify", "1", "due:tomorrow"]);
    let (second, _) = next_event(&mut all);
    let (third, modified) = next_event(&mut all);
    assert_eq!(
        modified["changes"][0]["fields"]["due"],
        serde_json::json!({"before": "", "after": "2026-11-27"})
    );
    // A token limited to Work hears of Work's tasks only.
    let (only, seen) = next_event(&mut limited);
    assert_eq!(
        (only.as_str(), seen["changes"][0]["title"].as_str()),
        (second.as_str(), Some("Fix the build"))
    );

    // Reconnecting with the last id seen gets what came after it, in order.
    let mut again = subscribe(&server, &reader, Some(&first));
    let ids: Vec<String> = (0..2).map(|_| next_event(&mut again).0).collect();
    assert_eq!(ids, [second, third]);
    problem(
        &server.send(
            "GET",
            "/api/v1/events",
            &reader,
            None,
            &[("last-event-id", "soon".into())],
        ),
        400,
        "Last-Event-ID",
    );

    // Open streams do not hold the server up when it is told to stop.
    let stopping = std::time::Instant::now();
    assert!(server.stop().success());
    assert!(stopping.elapsed() < std::time::Duration::from_secs(5));
}

/// The README's server session, pasted into bash as it is (on a free port instead of 8080):
/// the task goes in, the stream shows another command, the journal names the token.
#[test]
fn the_readme_session_works_when_pasted_into_bash() {
    let out = crate::support::readme_session("server session");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains(r#""title":"Pay rent""#), "{said}");
    assert!(said.contains(r#""category":"Finance""#), "{said}");
    assert!(
        said.contains("event: command") && said.contains("Call the bank"),
        "{said}"
    );
    assert!(said.trim_end().ends_with("demo-bot via api"), "{said}");
}

#[test]
fn history_undo_and_reports_are_served() {
    let s = Sandbox::new();
    let writer = token(&s, &["ci-bot", "--role", "write"]);
    let work = token(&s, &["work-bot", "--category", "Work"]);
    s.ok(&["add", "Pay rent", "category:Finance"]);
    let server = Server::start(&s);
    let added = server.post(
        "/api/v1/tasks",
        &writer,
        r#"{"capture":"Fix the build #Work"}"#,
    );
    assert_eq!(added.status, 201);
    server.send(
        "PATCH",
        "/api/v1/tasks/2",
        &writer,
        Some(r#"{"modify":"pri:H"}"#),
        &[],
    );

    let history = server.get("/api/v1/tasks/2/history", &writer);
    assert_eq!(history.status, 200);
    let ops: Vec<(&str, &str)> = history
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| Some((e["op"].as_str()?, e["actor"].as_str()?)))
        .collect();
    assert_eq!(
        ops,
        [("add", "ci-bot via api"), ("modify", "ci-bot via api")]
    );
    problem(
        &server.get("/api/v1/tasks/1/history", &work),
        404,
        "task 1 does not exist",
    );

    // Undo takes back the token's own last command, not the newer one made elsewhere.
    s.ok(&["modify", "1", "+late"]);
    let undone = server.post("/api/v1/undo", &writer, "");
    assert_eq!(undone.status, 200, "{:?}", undone.body);
    assert_eq!(undone.body["tasks"], serde_json::json!([2]));
    assert_eq!(
        server.get("/api/v1/tasks/2", &writer).body["priority"],
        serde_json::Value::Null
    );
    assert_eq!(
        server.get("/api/v1/tasks/1", &writer).body["tags"],
        serde_json::json!(["late"])
    );
    server.post("/api/v1/undo", &writer, "");
    problem(&server.post("/api/v1/undo", &writer, ""), 409, "");
    problem(&server.post("/api/v1/undo", &work, ""), 403, "needs write");

    // Reports: the numbers of `tme report NAME --json`, limited to a token's category.
    s.ok(&["done", "1"]);
    let all = server.get("/api/v1/reports/summary?range=30d", &writer);
    assert_eq!(all.status, 200, "{:?}", all.body);
    let cli: serde_json::Value =
        serde_json::from_str(&s.ok(&["report", "summary", "--json"])).unwrap_or_default();
    assert_eq!(all.body, cli);
    let limited = server.get("/api/v1/reports/summary", &work);
    assert_eq!(limited.status, 200);
    assert_ne!(
        limited.body, all.body,
        "a Work token saw Finance in its report"
    );
    problem(
        &server.get("/api/v1/reports/summary?filter=category:Finance", &work),
        403,
        "reaches Work only",
    );
    problem(
        &server.get("/api/v1/reports/nonsense", &writer),
        404,
        "there is no report 'nonsense'",
    );
    problem(
        &server.get("/api/v1/reports/summary?range=forever", &writer),
        422,
        "forever",
    );
}

/// Hook scripts act on the API's changes as on the CLI's (the same application layer): one
/// refuses a task without a project, with its reason in the problem document; another tags
/// what it lets through.
#[test]
fn hooks_act_on_api_changes_as_on_the_cli() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    let writer = token(&s, &["ci-bot", "--role", "write"]);
    let dir = s.path().join("hooks");
    std::fs::create_dir_all(&dir)?;
    for (name, body) in [
        (
            "on-add.10-require-project",
            "read task\ncase \"$task\" in\n  *'\"project\":'*) echo \"$task\" ;;\n  *) echo 'Tasks must have a project'; exit 1 ;;\nesac\n",
        ),
        (
            "on-add.20-tag",
            "read task\necho \"$task\" | sed 's/}$/,\"tags\":[\"hooked\"]}/'\n",
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}"))?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    }
    let server = Server::start_with(&s, &[("TME_HOOKS_DIR", &dir)]);
    problem(
        &server.post("/api/v1/tasks", &writer, r#"{"capture":"No project here"}"#),
        422,
        "refused the change: Tasks must have a project",
    );
    let added = server.post(
        "/api/v1/tasks",
        &writer,
        r#"{"capture":"Pay rent #Finance"}"#,
    );
    assert_eq!(added.status, 201, "{:?}", added.body);
    assert_eq!(added.body["tags"], serde_json::json!(["hooked"]));
    assert_eq!(s.all_json().len(), 1);
    Ok(())
}

/// Dependencies are added and removed over HTTP, a cycle is refused with its path, and
/// subtasks are made and listed with the capture and filter grammar (`parent:1`).
#[test]
fn dependencies_and_subtasks() {
    let s = Sandbox::new();
    let writer = token(&s, &["ci-bot", "--role", "write"]);
    let work = token(&s, &["work-bot", "--role", "write", "--category", "Work"]);
    s.ok(&["add", "Write the report", "category:Work"]);
    s.ok(&["add", "Send the report", "category:Work"]);
    s.ok(&["add", "Private", "category:Home"]);
    let server = Server::start(&s);

    let waits = server.post("/api/v1/tasks/2/dependencies", &writer, r#"{"on":1}"#);
    assert_eq!(waits.status, 200, "{:?}", waits.body);
    assert_eq!(waits.body["depends"][0]["id"], 1);
    assert_eq!(waits.body["depends"][0]["kind"], "fs");
    assert_eq!(server.get("/api/v1/tasks/2", &writer).body["blocked"], true);
    problem(
        &server.post("/api/v1/tasks/1/dependencies", &writer, r#"{"on":2}"#),
        409,
        "",
    );
    problem(
        &server.post(
            "/api/v1/tasks/1/dependencies",
            &writer,
            r#"{"on":2,"kind":"later"}"#,
        ),
        422,
        "'later' is not a kind of dependency",
    );
    problem(
        &server.post("/api/v1/tasks/1/dependencies", &writer, r#"{"on":99}"#),
        404,
        "task 99",
    );
    // A task out of the token's reach cannot be waited on (nor learnt of).
    problem(
        &server.post("/api/v1/tasks/1/dependencies", &work, r#"{"on":3}"#),
        404,
        "task 3",
    );
    let freed = server.send(
        "DELETE",
        "/api/v1/tasks/2/dependencies/1",
        &writer,
        None,
        &[],
    );
    assert_eq!(freed.status, 200, "{:?}", freed.body);
    assert_eq!(freed.body["blocked"], false);

    let child = server.post(
        "/api/v1/tasks",
        &writer,
        r#"{"capture":"Find the figures parent:1"}"#,
    );
    assert_eq!(
        (child.status, child.body["parent"].as_u64()),
        (201, Some(1))
    );
    let children = server.get("/api/v1/tasks?filter=parent:1", &writer);
    assert_eq!(children.body["tasks"].as_array().map(Vec::len), Some(1));
}

/// The OpenAPI document is served without a token, is 3.1, and every operation it lists is
/// one the server has (none falls through to "not an address"), each with its problems and
/// the token it needs.
#[test]
fn the_openapi_document_lists_what_the_server_serves() {
    let s = Sandbox::new();
    s.ok(&["add", "Pay rent", "#Finance"]);
    let writer = token(&s, &["ci-bot", "--role", "admin"]);
    let server = Server::start(&s);
    let document = server.call("GET", "/api/v1/openapi.json", None, None);
    assert_eq!(document.status, 200);
    let doc = &document.body;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    let mut operations = 0;
    for (path, item) in &paths {
        for (method, operation) in item.as_object().cloned().unwrap_or_default() {
            operations += 1;
            let responses = operation["responses"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            let public = path == "/api/v1/health";
            assert_eq!(responses.contains_key("401"), !public, "{method} {path}");
            assert!(responses.contains_key("503"), "{method} {path}");
            if path == "/api/v1/events" {
                continue;
            }
            let concrete = path
                .replace("{id}", "1")
                .replace("{on}", "1")
                .replace("{name}", "summary");
            let answer = server.send(&method.to_uppercase(), &concrete, &writer, Some("{}"), &[]);
            let detail = answer.body["detail"].as_str().unwrap_or_default();
            assert!(
                !detail.contains("not an address") && answer.status != 405,
                "{method} {path}: {} {detail}",
                answer.status
            );
        }
    }
    assert_eq!(operations, 18, "{:?}", paths.keys());
    // Every answer that is one task declares its ETag (added from the body's schema).
    for (path, method, status) in [
        ("/api/v1/tasks/{id}", "get", "200"),
        ("/api/v1/tasks", "post", "201"),
        ("/api/v1/tasks/{id}/done", "post", "200"),
    ] {
        let headers = &doc["paths"][path][method]["responses"][status]["headers"];
        assert_eq!(
            headers["ETag"]["schema"]["type"], "string",
            "{method} {path}"
        );
    }
    // A body's rules come from the engine's own: a title's pattern refuses control characters.
    let title = &doc["components"]["schemas"]["PatchBody"]["properties"]["title"];
    assert_eq!(title["maxLength"], 1000);
    assert!(
        title["pattern"]
            .as_str()
            .unwrap_or_default()
            .contains("\\u0000-\\u001F")
    );
}

/// Rules, the webhook, a plugin and the calendar file act on changes made through the API as
/// on the CLI's, because both go through the same application layer.
#[test]
fn rules_the_webhook_plugins_and_the_calendar_file_act_on_api_changes() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let s = Sandbox::new();
    let (url, got) = webhook::webhook(0)?;
    let heard = s.path().join("heard");
    let plugin = s.path().join("listener");
    std::fs::write(
        &plugin,
        format!(
            "#!/bin/sh\nwhile read line; do\n  case \"$line\" in\n    *'\"hello\"'*) echo '{{\"plugin\":\"listener\",\"version\":\"1.0\",\"protocol\":1,\"events\":[\"complete\"]}}' ;;\n    *'\"event\"'*) echo \"$line\" >> {}; echo '{{\"ok\":true}}' ;;\n    *'\"bye\"'*) exit 0 ;;\n  esac\ndone\n",
            heard.display()
        ),
    )?;
    std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755))?;
    let ics = s.path().join("tasks.ics");
    s.config(&format!(
        "rules:\n  - name: put-away\n    on: complete\n    if: \"#Shopping\"\n    do:\n      - add: \"Put the {{title}} away #Home\"\nnotify:\n  due_soon: 0\n  overdue: false\n  events: [complete]\ncalendar_file: {}\n",
        ics.display()
    ));
    let writer = token(&s, &["ci-bot", "--role", "write"]);
    let server = Server::start_with(
        &s,
        &[
            ("TME_WEBHOOK_URL", std::path::Path::new(&url)),
            ("TME_EXTERNAL_PLUGINS", &plugin),
        ],
    );
    let added = server.post(
        "/api/v1/tasks",
        &writer,
        r#"{"capture":"Buy groceries #Shopping due:2026-12-03"}"#,
    );
    assert_eq!(added.status, 201, "{:?}", added.body);
    let calendar = std::fs::read_to_string(&ics)?;
    assert!(calendar.contains("SUMMARY:Buy groceries\r\n"), "{calendar}");

    let done = server.post("/api/v1/tasks/1/done", &writer, "");
    assert_eq!(done.status, 200, "{:?}", done.body);
    // The rule's task, made in the same command, journaled as the token's.
    let tasks = s.all_json();
    let rule_made = tasks
        .iter()
        .find(|t| t["title"] == "Put the Buy groceries away")
        .unwrap_or_else(|| panic!("the rule made no task: {tasks:?}"));
    assert_eq!(rule_made["category"], "Home");
    let history = s.ok(&["history", "2"]);
    assert!(history.contains("ci-bot via api"), "{history}");
    // The webhook was told, and the plugin heard the event.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while got.lock().map(|g| g.is_empty()).unwrap_or(true) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let told: Vec<String> = got
        .lock()
        .map(|g| {
            g.iter()
                .filter_map(|v| v["text"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(told, ["Complete: 'Buy groceries' (task 1)"]);
    let plugin_heard = std::fs::read_to_string(&heard)?;
    assert!(plugin_heard.contains("complete"), "{plugin_heard}");
    assert!(plugin_heard.contains("Buy groceries"), "{plugin_heard}");
    // The calendar file no longer holds the completed task.
    let calendar = std::fs::read_to_string(&ics)?;
    assert!(
        !calendar.contains("SUMMARY:Buy groceries\r\n"),
        "{calendar}"
    );
    Ok(())
}

/// A request refused before its body is read (here: no token) still leaves the connection
/// usable: the next request on it is answered, as keep-alive clients expect.
#[test]
fn a_refused_request_with_a_body_keeps_the_connection() {
    use std::io::{Read, Write};
    let s = Sandbox::new();
    let server = Server::start(&s);
    let address = server.base.trim_start_matches("http://");
    let mut socket =
        std::net::TcpStream::connect(address).unwrap_or_else(|e| panic!("{address}: {e}"));
    socket
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap_or_else(|e| panic!("{e}"));
    let body = r#"{"capture":"Pay rent"}"#;
    let requests = format!(
        "POST /api/v1/tasks HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\nGET /api/v1/health HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    socket
        .write_all(requests.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut answers = String::new();
    let _ = socket.read_to_string(&mut answers);
    let statuses: Vec<&str> = answers
        .match_indices("HTTP/1.1 ")
        .filter_map(|(at, _)| answers[at..].split("\r\n").next())
        .collect();
    assert_eq!(
        statuses,
        ["HTTP/1.1 401 Unauthorized", "HTTP/1.1 200 OK"],
        "{answers}"
    );
}
