"""API keys: `dgk_<id>_<secret>`, shown once; the store keeps the id, a salt and an HMAC-SHA256.

The secret is 256 random bits, so a fast keyed hash is enough (no password stretching needed);
the id makes lookup a primary-key read, and the comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

from docgen.service.store import Store

KEY_RE = re.compile(r"^dgk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
KEY_ID_RE = re.compile(r"^(?:dgk_)?([0-9a-f]{16})(?:_.*)?$")


def _hash(salt: str, secret: str) -> str:
    return hmac.new(bytes.fromhex(salt), secret.encode(), hashlib.sha256).hexdigest()


def create_key(store: Store, office: str) -> str:
    office = office.strip()
    if not office or len(office) > 200:
        raise ValueError("office name must be 1 to 200 characters")
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    store.add_key(key_id, office, salt, _hash(salt, secret))
    return f"dgk_{key_id}_{secret}"


def office_for_key(store: Store, key: str) -> str | None:
    """The office a key belongs to, or None for an unknown, malformed or revoked key."""
    match = KEY_RE.match(key.strip())
    if not match:
        return None
    key_id, secret = match.groups()
    row = store.get_key(key_id)
    if row is None or row["revoked_at"]:
        return None
    if not hmac.compare_digest(row["key_hash"], _hash(row["salt"], secret)):
        return None
    office: str = row["office"]
    return office


def key_id_of(text: str) -> str | None:
    """The key id in `0123456789abcdef`, `dgk_0123456789abcdef` or a whole key; None if none."""
    match = KEY_ID_RE.match(text.strip())
    return match.group(1) if match else None


def revoke_key(store: Store, key_id_or_key: str) -> dict[str, Any]:
    """Revoke a key at once (the next request with it gets 401); returns its row.

    Raises KeyError for an unknown or malformed id. Revoking a revoked key changes nothing
    (`already_revoked` is then true).
    """
    key_id = key_id_of(key_id_or_key)
    row = store.get_key(key_id) if key_id else None
    if row is None:
        raise KeyError(key_id_or_key)
    changed = store.revoke_key(row["key_id"])
    row = store.get_key(row["key_id"])
    assert row is not None
    found = {k: row[k] for k in ("key_id", "office", "created_at", "revoked_at")}
    return {**found, "already_revoked": not changed}
