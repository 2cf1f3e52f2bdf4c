"""`with ApiClient(...) as client:` closes the connection pool on the way out (also on errors);
the client stays usable and simply reconnects."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import pytest

from PureCloudPlatformClientV2 import ApiClient, SCIMApi

from ..servers import Reply

EMPTY_LIST = Reply.json({"totalResults": 0, "Resources": []})


@pytest.mark.parametrize("fails", [False, True])
def test_leaving_the_with_block_closes_the_pool(serve: Any, fails: bool) -> None:
    _, server = serve(default=EMPTY_LIST)
    client = ApiClient(host=server.url)
    client.access_token = "t"
    api = SCIMApi(client)
    with pytest.raises(RuntimeError) if fails else nullcontext():
        with client as entered:
            assert entered is client
            api.get_scim_v2_users()
            api.get_scim_v2_users()
            assert server.connections == 1  # both calls on one pooled connection
            if fails:
                raise RuntimeError("the block failed")
    api.get_scim_v2_users()  # the pool was closed: this call needs a new connection
    assert server.connections == 2
    client.close()
    client.close()  # closing twice is harmless

