"""When two userNames name the same Genesys Cloud user, declared once for the sandbox (its
unique index) and the CLI's sync (matching file rows to existing users).

Genesys compares userNames case-insensitively with `str.lower()`. `str.casefold()` folds
further ('ſ' -> 's', 'ﬁ' -> 'fi', 'ß' -> 'ss'), so matching with it would take
`sam@example.com` for the different account `ſam@example.com` and hand one user's identity
(id, roles) to another. `look_alike` finds such pairs so that a tool can refuse them.
"""

from __future__ import annotations

import unicodedata

__all__ = ["user_name_key", "look_alike_key", "look_alike"]


def user_name_key(user_name: str) -> str:
    """The form under which the server treats two userNames as one user."""
    return user_name.lower()


def look_alike_key(user_name: str) -> str:
    """A coarser form: compatibility characters and case folded (fullwidth, ligatures, long s)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", user_name).casefold())


def look_alike(a: str, b: str) -> bool:
    """Different users to the server that look the same to a person (`sam@` and `ſam@`)."""
    return user_name_key(a) != user_name_key(b) and look_alike_key(a) == look_alike_key(b)
