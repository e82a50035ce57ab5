"""The OpenAPI schema (drf-spectacular): every operation documents its errors as
``application/problem+json`` (``Problem``), so a client and schemathesis know every
answer the API can give."""

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error (RFC 9457).",
    "properties": {
        "type": {"type": "string", "description": "A URI naming the problem."},
        "title": {"type": "string", "description": "The status, in words."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong, for a person."},
        "code": {"type": "string", "description": "The first error's code, for a program."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
                "required": ["field", "code", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "code", "errors"],
}

# Every operation may answer these; 401 only where a login is needed.
ERRORS = {
    "400": "The request is invalid, or the service refused it (the codes say why).",
    "401": "Not signed in, or the token expired or was revoked.",
    "403": "Not allowed for this user, or the action is not open now.",
    "404": "No such item, or not this user's.",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "415": "Unsupported media type.",
    "429": "Too many requests (Retry-After says when to try again).",
}


def problem_responses(result, generator, request, public):
    """drf-spectacular's post-processing hook: the ``Problem`` component, and the error
    responses on every operation that does not document them itself."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                if code == "401" and operation.get("security") == [{}]:
                    continue
                if code == "415" and "requestBody" not in operation:
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/problem+json": {"schema": ref}},
                    },
                )
            # The server in front (gunicorn, nginx) refuses a request line too long for it
            # before the app sees it, with its own HTML page.
            responses.setdefault(
                "414",
                {
                    "description": "The address is too long for the server.",
                    "content": {"text/html": {"schema": {"type": "string"}}},
                },
            )
    return result
