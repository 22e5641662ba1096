//! `GET /api/auth/context`, reshaped as the original client does: project and member
//! grouped, missing optional strings as `null`.

use serde::{Deserialize, Serialize};

use super::json_body;
use crate::api::ApiClient;
use crate::error::ClientError;
use crate::transport::Call;

const PATH: &str = "/api/auth/context";
const SUBJECT: &str = "OWOX auth context API";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServerContext {
    api_key_id: String,
    auth_flow: String,
    project_id: String,
    project_title: Option<String>,
    user_id: String,
    email: Option<String>,
    full_name: Option<String>,
    avatar: Option<String>,
    roles: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthContext {
    api_key_id: String,
    auth_flow: String,
    project: Project,
    member: Member,
}

#[derive(Serialize)]
struct Project {
    id: String,
    title: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Member {
    user_id: String,
    email: Option<String>,
    full_name: Option<String>,
    avatar: Option<String>,
    roles: Vec<String>,
}

/// The context as JSON text.
pub async fn get(api: &ApiClient, call: &Call) -> Result<String, ClientError> {
    let body = api.get(PATH, call).await?;
    let status = body.status;
    let text = json_body(body, SUBJECT)?;
    reshape(&text).ok_or_else(|| ClientError::shape(SUBJECT, status, &text))
}

fn reshape(text: &str) -> Option<String> {
    let c: ServerContext = serde_json::from_str(text).ok()?;
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

    #[test]
    fn groups_project_and_member_with_nulls_for_missing_strings() {
        let server = r#"{"apiKeyId":"pmk_1","authFlow":"api_key","projectId":"p1","userId":"u1","email":"a@b.c","roles":["admin"],"extra":1}"#;
        assert_eq!(
            reshape(server).unwrap(),
            r#"{"apiKeyId":"pmk_1","authFlow":"api_key","project":{"id":"p1","title":null},"member":{"userId":"u1","email":"a@b.c","fullName":null,"avatar":null,"roles":["admin"]}}"#
        );
    }

    #[test]
    fn wrong_shapes_are_refused() {
        assert!(reshape(r#"{"apiKeyId":"pmk_1","authFlow":"api_key","projectId":"p1","userId":"u1"}"#).is_none());
        assert!(reshape(r#"{"apiKeyId":"pmk_1","authFlow":"api_key","projectId":"p1","userId":"u1","roles":[1]}"#).is_none());
        assert!(reshape("[]").is_none());
    }
}
