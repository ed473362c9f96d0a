"""Who is asking: the office of the request's API key (docgen.service.keys), or 401."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from docgen.service.api_errors import ApiError
from docgen.service.keys import office_for_key

bearer = HTTPBearer(auto_error=False, description="An API key as a bearer token.")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


def require_office(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    header_key: Annotated[str | None, Depends(api_key_header)],
) -> str:
    """The office of the request's API key; 401 without a valid one."""
    key = credentials.credentials if credentials else header_key
    if not key:
        raise ApiError(
            401,
            "unauthorized",
            "an API key is required (Authorization: Bearer <key> or X-API-Key)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    found = office_for_key(request.app.state.store, key)
    if found is None:
        raise ApiError(
            401, "unauthorized", "this API key is not valid", headers={"WWW-Authenticate": "Bearer"}
        )
    return found


Office = Annotated[str, Depends(require_office)]
