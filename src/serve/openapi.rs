//! The API's OpenAPI 3.1 document (`GET /api/v1/openapi.json`), made from the handlers' own
//! declarations as the router is built, so that it cannot drift from them. The problems an
//! operation can answer follow from its shape and are added here once: every operation can
//! time out (408) or find the database unavailable (503); one with inputs can get a malformed
//! one (400); one that needs a token, a missing or refused one (401, 403); one on a task, a
//! task that does not exist (404); one with a body, a body too large, of another media type,
//! or with values that cannot be (413, 415, 422); a change, a conflict (409) or a refusal
//! (422); a conditional one, a stale version (412).

use std::collections::BTreeMap;
use utoipa::openapi::header::Header;
use utoipa::openapi::path::{HttpMethod, Operation};

use utoipa::openapi::schema::{Object, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi, Ref, RefOr};

use super::events::CommandEvent;
use super::problem::ProblemDocument;

/// The document's fixed part; the operations come from the router.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "TME",
        description = "The TME task engine over HTTP: tasks in the JSON of `tme list --json`, \
            each with its version for `If-Match`; errors as RFC 9457 problem documents; a \
            stream of every committed command. Every operation but the health check needs an \
            API token from `tme token create`."
    ),
    components(schemas(CommandEvent, ProblemDocument), responses(ProblemDocument)),
    security(("token" = [])),
    tags(
        (name = "tasks", description = "Tasks: list, add, read, change"),
        (name = "journal", description = "Who changed what, and undo"),
        (name = "reports", description = "The numbers of `tme report`"),
        (name = "events", description = "Every committed command, as it happens"),
        (name = "sync", description = "Replicas: push what was made offline, pull the log (docs/sync.md)"),
        (name = "server", description = "The server itself"),
    )
)]
pub struct ApiDoc;

/// Completes the document once the router has added the operations: the token's security
/// scheme, the problems each operation can answer, and the `ETag` of every answer that is one
/// task.
pub fn complete(api: &mut OpenApi) {
    let scheme = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .description(Some("An API token from `tme token create` (`tme_…`)"))
        .build();
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme("token", SecurityScheme::Http(scheme));
    add_text_rules(&mut components.schemas);
    add_body_shapes(&mut components.schemas);
    name_the_reports(api);
    for (path, item) in api.paths.paths.iter_mut() {
        let methods = [
            (HttpMethod::Get, &mut item.get),
            (HttpMethod::Post, &mut item.post),
            (HttpMethod::Patch, &mut item.patch),
            (HttpMethod::Delete, &mut item.delete),
        ];
        for (method, operation) in methods {
            if let Some(operation) = operation {
                add_problems(path, &method, operation);
                add_etags(operation);
            }
        }
    }
}

/// The free text of request bodies, and the rules the engine holds it to.
const TEXTS: [(&str, &str, Text); 4] = [
    ("NewTaskBody", "title", Text::Title),
    ("PatchBody", "title", Text::Title),
    ("PatchBody", "description", Text::Description),
    ("NoteBody", "text", Text::Annotation),
];

/// A kind of free text.
#[derive(Clone, Copy)]
enum Text {
    /// One line, something besides white space ([`crate::domain::check_title`]).
    Title,
    /// Lines, perhaps none ([`crate::domain::check_note`]).
    Description,
    /// Lines, something besides white space.
    Annotation,
}

/// Gives each of [`TEXTS`] the pattern and the lengths the engine holds it to, so that a
/// client (and a contract test) knows them from the schema.
fn add_text_rules(schemas: &mut BTreeMap<String, RefOr<Schema>>) {
    use crate::domain::{MAX_TEXT_LEN, MAX_TITLE_LEN, text_pattern};
    for (name, field, text) in TEXTS {
        let Some(RefOr::T(Schema::Object(body))) = schemas.get_mut(name) else {
            continue;
        };
        let Some(RefOr::T(Schema::Object(property))) = body.properties.get_mut(field) else {
            continue;
        };
        let (multiline, non_blank, longest) = match text {
            Text::Title => (false, true, MAX_TITLE_LEN),
            Text::Description => (true, false, MAX_TEXT_LEN),
            Text::Annotation => (true, true, MAX_TEXT_LEN),
        };
        property.pattern = Some(text_pattern(multiline, non_blank));
        property.max_length = Some(longest);
    }
}

/// What the field types alone cannot say about two bodies: a change names at least one field,
/// and a new task is capture text alone or a title with fields.
fn add_body_shapes(schemas: &mut BTreeMap<String, RefOr<Schema>>) {
    if let Some(RefOr::T(Schema::Object(patch))) = schemas.get_mut("PatchBody") {
        patch.min_properties = Some(1);
    }
    let Some(RefOr::T(Schema::Object(new))) = schemas.get("NewTaskBody") else {
        return;
    };
    let (mut capture, mut fields) = (new.clone(), new.clone());
    capture.properties.retain(|name, _| name == "capture");
    capture.required = vec!["capture".to_string()];
    capture.description = Some("Capture text, with its fields in it".to_string());
    fields.properties.remove("capture");
    fields.required = vec!["title".to_string()];
    fields.description = Some("A title, and fields".to_string());
    let mut either = utoipa::openapi::schema::OneOf::new();
    either.items = vec![capture.into(), fields.into()];
    either.description.clone_from(&new.description);
    schemas.insert("NewTaskBody".to_string(), Schema::OneOf(either).into());
}

/// The reports there are, as the values the report's name can take.
fn name_the_reports(api: &mut OpenApi) {
    let Some(report) = api
        .paths
        .paths
        .get_mut("/api/v1/reports/{name}")
        .and_then(|item| item.get.as_mut())
    else {
        return;
    };
    let names = crate::report::REPORTS.iter().map(|(name, _)| *name);
    for parameter in report.parameters.iter_mut().flatten() {
        if parameter.name == "name" {
            let schema = utoipa::openapi::schema::ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(names.clone()));
            parameter.schema = Some(schema.into());
        }
    }
}

/// The problems `operation` (a `method` on `path`) can answer, added to its responses.
fn add_problems(path: &str, method: &HttpMethod, operation: &mut Operation) {
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let has = |name: &str| parameters.iter().any(|p| p.name == name);
    let has_body = operation.request_body.is_some();
    let public = operation
        .security
        .as_ref()
        .is_some_and(|needs| needs.iter().all(|n| n == &Default::default()));
    let changes = !matches!(method, HttpMethod::Get);
    let statuses = [
        (400, !parameters.is_empty() || has_body),
        (401, !public),
        (403, !public),
        (404, path.contains('{')),
        (408, true),
        (409, changes),
        (412, parameters.iter().any(|p| p.name == "If-Match")),
        (413, has_body),
        (415, has_body),
        (422, changes || has("filter")),
        (503, true),
    ];
    for (status, applies) in statuses {
        if applies {
            operation
                .responses
                .responses
                .entry(status.to_string())
                .or_insert_with(|| RefOr::Ref(Ref::from_response_name("ProblemDocument")));
        }
    }
}

/// The `ETag` header on every answer that is one task.
fn add_etags(operation: &mut Operation) {
    let task = Ref::from_schema_name("ApiTask");
    for response in operation.responses.responses.values_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let is_task = response
            .content
            .values()
            .any(|c| matches!(&c.schema, Some(RefOr::Ref(r)) if *r == task));
        if is_task {
            let header = utoipa::openapi::header::HeaderBuilder::new()
                .schema(Object::with_type(Type::String))
                .description(Some(
                    "The task's version, quoted: what `If-Match` names to change it",
                ))
                .build();
            response
                .headers
                .insert("ETag".to_string(), header as Header);
        }
    }
}
