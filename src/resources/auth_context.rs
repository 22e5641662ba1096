//! `GET /api/auth/context`, reshaped as the original client does: project and member
//! grouped, missing optional strings as `null`.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::body_text;
use crate::api::ApiClient;
use crate::error::ClientError;
use crate::transport::Call;

const PATH: &str = "/api/auth/context";
const SUBJECT: &str = "OWOX auth context API";

// Fields stay raw JSON text: strings are checked to be strings and copied as the server
// wrote them, so the caller gets exactly what `JSON.parse` would give.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServerContext<'a> {
    #[serde(borrow)]
    api_key_id: &'a RawValue,
    #[serde(borrow)]
    auth_flow: &'a RawValue,
    #[serde(borrow)]
    project_id: &'a RawValue,
    #[serde(borrow)]
    project_title: Option<&'a RawValue>,
    #[serde(borrow)]
    user_id: &'a RawValue,
    #[serde(borrow)]
    email: Option<&'a RawValue>,
    #[serde(borrow)]
    full_name: Option<&'a RawValue>,
    #[serde(borrow)]
    avatar: Option<&'a RawValue>,
    #[serde(borrow)]
    roles: Vec<&'a RawValue>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthContext<'a> {
    api_key_id: &'a RawValue,
    auth_flow: &'a RawValue,
    project: Project<'a>,
    member: Member<'a>,
}

#[derive(Serialize)]
struct Project<'a> {
    id: &'a RawValue,
    title: Option<&'a RawValue>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Member<'a> {
    user_id: &'a RawValue,
    email: Option<&'a RawValue>,
    full_name: Option<&'a RawValue>,
    avatar: Option<&'a RawValue>,
    roles: Vec<&'a RawValue>,
}

fn is_string(raw: &RawValue) -> bool {
    raw.get().starts_with('"')
}

/// The context as JSON text.
pub async fn get(api: &ApiClient, call: &Call) -> Result<String, ClientError> {
    let json = body_text(api.get(PATH, call).await?, SUBJECT)?;
    let context: ServerContext = json.parse(SUBJECT)?;
    json.is_object()
        .then(|| reshape(context))
        .flatten()
        .ok_or_else(|| ClientError::shape(SUBJECT, json.status, &json.text))
}

fn reshape(c: ServerContext) -> Option<String> {
    let required = [c.api_key_id, c.auth_flow, c.project_id, c.user_id];
    let optional = [c.project_title, c.email, c.full_name, c.avatar];
    let all_strings = required.iter().chain(optional.iter().flatten()).chain(c.roles.iter()).all(|raw| is_string(raw));
    if !all_strings {
        return None;
    }
    let context = AuthContext {
        api_key_id: c.api_key_id,
        auth_flow: c.auth_flow,
        project: Project { id: c.project_id, title: c.project_title },
        member: Member { user_id: c.user_id, email: c.email, full_name: c.full_name, avatar: c.avatar, roles: c.roles },
    };
    serde_json::to_string(&context).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reshape_text(text: &str) -> Option<String> {
        reshape(serde_json::from_str(text).ok()?)
    }

    #[test]
    fn groups_project_and_member_with_nulls_for_missing_strings() {
        let server = r#"{"apiKeyId":"pmk_1","authFlow":"api_key","projectId":"p1","userId":"u1","email":"a@b.c","roles":["admin"],"extra":1}"#;
        assert_eq!(
            reshape_text(server).unwrap(),
            r#"{"apiKeyId":"pmk_1","authFlow":"api_key","project":{"id":"p1","title":null},"member":{"userId":"u1","email":"a@b.c","fullName":null,"avatar":null,"roles":["admin"]}}"#
        );
    }

    #[test]
    fn strings_are_copied_exactly_as_sent() {
        let server = r#"{"apiKeyId":"pmk_1","authFlow":"api_key","projectId":"p1","projectTitle":"half \ud800","userId":"u1","roles":["r\u00e9"]}"#;
        let out = reshape_text(server).unwrap();
        assert!(out.contains(r#""title":"half \ud800""#), "{out}");
        assert!(out.contains(r#""roles":["r\u00e9"]"#), "{out}");
    }

    #[test]
    fn wrong_shapes_are_refused() {
        assert!(
            reshape_text(r#"{"apiKeyId":1,"authFlow":"api_key","projectId":"p1","userId":"u1","roles":[]}"#).is_none()
        );
        assert!(reshape_text(
            r#"{"apiKeyId":"k","authFlow":"api_key","projectId":"p1","userId":"u1","email":5,"roles":[]}"#
        )
        .is_none());
        assert!(reshape_text(r#"{"apiKeyId":"pmk_1","authFlow":"api_key","projectId":"p1","userId":"u1"}"#).is_none());
        assert!(reshape_text(
            r#"{"apiKeyId":"pmk_1","authFlow":"api_key","projectId":"p1","userId":"u1","roles":[1]}"#
        )
        .is_none());
        assert!(reshape_text("[]").is_none());
    }
}
