//! The API reference page at `/api/docs`: the OpenAPI document rendered to one self-contained
//! HTML page on the server (no scripts, no CDN), so it reads the same offline.

use crate::domain::escape_markup as esc;
use std::fmt::Write;

use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Renders the whole reference page for `spec` (an OpenAPI 3 document as JSON).
pub fn render(spec: &Value) -> String {
    let title = text(&spec["info"]["title"]);
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{CSS}</style></head><body><main>\
         <h1>{title} <small>{version}</small></h1>\
         <p><a href=\"/api/openapi.json\">openapi.json</a> · <a href=\"/\">Back to the app</a></p>",
        version = text(&spec["info"]["version"]),
    );
    paragraphs(&mut out, spec["info"]["description"].as_str().unwrap_or(""));

    let tags: Vec<&Value> = spec["tags"]
        .as_array()
        .map(|t| t.iter().collect())
        .unwrap_or_default();
    out.push_str("<nav><h2>Contents</h2><ul>");
    for (i, tag) in tags.iter().enumerate() {
        let _ = write!(
            out,
            "<li><a href=\"#tag-{i}\">{}</a></li>",
            text(&tag["name"])
        );
    }
    out.push_str("<li><a href=\"#schemas\">Schemas</a></li></ul></nav>");

    for (i, tag) in tags.iter().enumerate() {
        let name = tag["name"].as_str().unwrap_or("");
        let _ = write!(out, "<section id=\"tag-{i}\"><h2>{}</h2>", esc(name));
        paragraphs(&mut out, tag["description"].as_str().unwrap_or(""));
        for (path, item) in spec["paths"].as_object().into_iter().flatten() {
            for method in METHODS {
                let op = &item[method];
                let tagged = op["tags"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t.as_str() == Some(name)));
                if tagged {
                    operation(&mut out, method, path, op);
                }
            }
        }
        out.push_str("</section>");
    }

    out.push_str("<section id=\"schemas\"><h2>Schemas</h2>");
    for (name, schema) in spec["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let _ = write!(out, "<article id=\"schema-{0}\"><h3>{0}</h3>", esc(name));
        paragraphs(&mut out, schema["description"].as_str().unwrap_or(""));
        schema_table(&mut out, schema);
        out.push_str("</article>");
    }
    out.push_str("</section></main></body></html>");
    out
}

fn operation(out: &mut String, method: &str, path: &str, op: &Value) {
    let _ = write!(
        out,
        "<article class=\"op\"><h3><span class=\"m {method}\">{}</span> <code>{}</code></h3>",
        method.to_uppercase(),
        esc(path)
    );
    paragraphs(
        out,
        op["description"]
            .as_str()
            .or(op["summary"].as_str())
            .unwrap_or(""),
    );

    if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
        out.push_str("<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr>");
        for p in params {
            let required = if p["required"].as_bool() == Some(true) {
                " <em>required</em>"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<tr><td><code>{}</code>{required}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                text(&p["name"]),
                text(&p["in"]),
                type_of(&p["schema"]),
                inline(p["description"].as_str().unwrap_or(""))
            );
        }
        out.push_str("</table>");
    }

    let body = &op["requestBody"]["content"]["application/json"];
    if !body.is_null() {
        let _ = write!(
            out,
            "<h4>Request body</h4><p>{}</p>",
            type_of(&body["schema"])
        );
        example(out, &body["example"]);
    }

    out.push_str(
        "<h4>Responses</h4><table><tr><th>Status</th><th>Description</th><th>Body</th></tr>",
    );
    for (status, response) in op["responses"].as_object().into_iter().flatten() {
        let schema = &response["content"]["application/json"]["schema"];
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            esc(status),
            inline(response["description"].as_str().unwrap_or("")),
            if schema.is_null() {
                String::new()
            } else {
                type_of(schema)
            }
        );
    }
    out.push_str("</table></article>");
}

/// The properties of an object schema as a table (or its type when it has none).
fn schema_table(out: &mut String, schema: &Value) {
    let Some(props) = schema["properties"].as_object() else {
        let _ = write!(out, "<p>{}</p>", type_of(schema));
        return;
    };
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    out.push_str("<table><tr><th>Field</th><th>Type</th><th>Description</th></tr>");
    for (name, prop) in props {
        let req = if required.contains(&name.as_str()) {
            " <em>required</em>"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<tr><td><code>{}</code>{req}</td><td>{}</td><td>{}</td></tr>",
            esc(name),
            type_of(prop),
            inline(prop["description"].as_str().unwrap_or(""))
        );
    }
    out.push_str("</table>");
    example(out, &schema["example"]);
}

fn example(out: &mut String, value: &Value) {
    if !value.is_null() {
        let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
        let _ = write!(
            out,
            "<details><summary>Example</summary><pre>{}</pre></details>",
            esc(&pretty)
        );
    }
}

/// A short description of a schema's type, linking referenced schemas.
fn type_of(schema: &Value) -> String {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(parts) = schema[key].as_array() {
            let parts: Vec<String> = parts
                .iter()
                .filter(|p| p["type"].as_str() != Some("null"))
                .map(type_of)
                .collect();
            return parts.join(" | ");
        }
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .filter(|k| *k != "null")
            .collect::<Vec<_>>()
            .join(" | "),
        Value::String(kind) => kind.clone(),
        _ => String::from("any"),
    };
    let nullable = matches!(&schema["type"], Value::Array(k) if k.iter().any(|k| k == "null"));
    let base = if kind == "array" {
        format!("array of {}", type_of(&schema["items"]))
    } else {
        esc(&kind)
    };
    if nullable {
        format!("{base} or null")
    } else {
        base
    }
}

/// Text with `code` spans, escaped.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in esc(s).split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

fn paragraphs(out: &mut String, s: &str) {
    for p in s.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let _ = write!(out, "<p>{}</p>", inline(p));
    }
}

fn text(v: &Value) -> String {
    esc(v.as_str().unwrap_or(""))
}

const CSS: &str = "body{font-family:system-ui,sans-serif;color:#1e293b;background:#f8fafc;margin:0}\
main{max-width:960px;margin:0 auto;padding:1.5rem}h1 small{font-size:.9rem;color:#64748b}\
h2{border-bottom:1px solid #cbd5e1;padding-bottom:.25rem;margin-top:2.5rem}\
.op,article{background:#fff;border:1px solid #e2e8f0;border-radius:.5rem;padding:.75rem 1rem;margin:1rem 0}\
h3{font-size:1rem;margin:0 0 .5rem}h4{font-size:.85rem;margin:.75rem 0 .25rem;color:#475569}\
.m{display:inline-block;min-width:4rem;text-align:center;border-radius:.25rem;color:#fff;font-size:.8rem;padding:.1rem .3rem}\
.get{background:#2563eb}.post{background:#16a34a}.put{background:#9333ea}.patch{background:#d97706}.delete{background:#dc2626}\
table{border-collapse:collapse;width:100%;font-size:.85rem}td,th{border:1px solid #e2e8f0;padding:.3rem .5rem;text-align:left;vertical-align:top}\
th{background:#f1f5f9}code{background:#f1f5f9;padding:0 .2rem;border-radius:.2rem}\
pre{background:#0f172a;color:#e2e8f0;padding:.75rem;border-radius:.375rem;overflow:auto;font-size:.8rem}";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_operations_escaped_with_links_to_schemas() {
        let spec = json!({
            "info": {"title": "T <x>", "version": "1"},
            "tags": [{"name": "A", "description": "about `a`"}],
            "paths": {"/v1/x/{id}": {"get": {
                "tags": ["A"], "description": "Gets one",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/X"}}}}}
            }}},
            "components": {"schemas": {"X": {"type": "object", "required": ["id"], "properties": {"id": {"type": ["string", "null"]}}}}}
        });
        let html = render(&spec);
        assert!(html.contains("T &lt;x&gt;"));
        assert!(html.contains("<code>/v1/x/{id}</code>"));
        assert!(html.contains("about <code>a</code>"));
        assert!(html.contains("<a href=\"#schema-X\">X</a>"));
        assert!(html.contains("string or null"));
        assert!(!html.contains("<script"));
    }
}
