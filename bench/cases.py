"""The in-process benchmark cases, run in a fresh process per SDK:

    python bench/cases.py ours|official DATA_DIR  ->  one JSON line of results

Whichever `PureCloudPlatformClientV2` the interpreter imports is measured: ours, or the
official SDK from its own virtual environment. Both are driven through the same official
surface (`ApiClient().deserialize`, `sanitize_for_serialization`, `SCIMApi`), so one script
measures both. Each figure is paired with its baseline, timed in the same process in
alternating rounds after a `gc.collect()`; results stay alive until the clock has stopped,
so freeing them is not counted. The data comes from run.py (the shared realistic users).
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

LIST_TYPE = "ScimUserListResponse"


class CannedResponse:
    """What `ApiClient.deserialize` reads: the official response object's `.data` and friends."""

    status, reason = 200, "OK"

    def __init__(self, text: str) -> None:
        self.data = text

    def getheaders(self) -> dict[str, str]:
        return {"Content-Type": "application/json"}

    def getheader(self, name: str, default: str | None = None) -> str | None:
        return self.getheaders().get(name, default)


def paired(sdk, baseline, *, budget_s: float = 4.0, rounds: tuple[int, int] = (5, 25)) -> dict:
    """Times of `sdk()` and `baseline()`, run alternately until the time budget (and at least
    the minimum number of rounds) is used up. The ratio is the median of the per-round
    ratios: a round's two timings are taken back to back, so a busy machine slows both."""
    sdk(), baseline()  # warm-up: plans compiled, caches filled
    sdk_times: list[float] = []
    base_times: list[float] = []
    started = time.perf_counter()
    while len(sdk_times) < rounds[1] and (len(sdk_times) < rounds[0] or time.perf_counter() - started < budget_s):
        base_times.append(_timed(baseline))
        sdk_times.append(_timed(sdk))
    return {"sdk": statistics.median(sdk_times), "baseline": statistics.median(base_times),
            "ratio": statistics.median(s / b for s, b in zip(sdk_times, base_times)), "rounds": len(sdk_times)}


def _timed(function) -> float:
    gc.collect()
    start = time.perf_counter()
    result = function()  # kept until the clock has stopped: freeing it is not timed
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def case_decode(pc, text: str) -> dict:
    """1,000 users from JSON text to models, json.loads included, vs a bare json.loads."""
    client, response = pc.ApiClient(), CannedResponse(text)
    return paired(lambda: client.deserialize(response, LIST_TYPE), lambda: json.loads(text))


def case_decode_models(text: str) -> dict:
    """Ours only: the model layer alone (json.loads + the compiled decoder), without
    `ApiClient.deserialize`'s wrapping of the response."""
    from PureCloudPlatformClientV2._decode import decoder_for

    decode = decoder_for(LIST_TYPE)
    return paired(lambda: decode(json.loads(text)), lambda: json.loads(text))


def adopting_floor(type_name: str):
    """The least work any pure-Python decoder can do for the same result, with no checks at
    all: every JSON object adopted in place as the attribute dict of its model (the nested
    fields found by a set intersection, lists filled in place). A reference, not a decoder."""
    from PureCloudPlatformClientV2._model import resolve

    adopters: dict[type, object] = {}
    new = object.__new__

    def adopter(cls: type):
        found = adopters.get(cls)
        if found is None:
            nested = {}
            for f in cls.fields:
                is_list = f.swagger_type.startswith("list[")
                inner = f.swagger_type[5:-1] if is_list else f.swagger_type
                if inner[:1].isupper():
                    nested[f.wire] = (is_list, resolve(inner))

            def adopt(data: dict) -> object:
                for key in nested.keys() & data.keys():
                    is_list, inner = nested[key]
                    value, inner_adopt = data[key], adopter(inner)
                    if is_list:
                        for index, item in enumerate(value):
                            value[index] = inner_adopt(item)
                    else:
                        data[key] = inner_adopt(value)
                obj = new(cls)
                obj.__dict__ = data
                return obj

            found = adopters[cls] = adopt
        return found

    return adopter(resolve(type_name))


def writing_floor():
    """The least work for encoding: json's C encoder writes every model's attribute dict, no
    checks (datetimes as isoformat). A reference, not an encoder."""
    from PureCloudPlatformClientV2._model import Model

    def own_dict(value: object) -> object:  # json's hook: a model's attribute dict, unchecked
        return value.__dict__ if isinstance(value, Model) else value.isoformat()  # type: ignore[attr-defined]

    return json.JSONEncoder(default=own_dict, check_circular=False).encode


def case_floors(pc, text: str) -> dict[str, dict]:
    """Ours only, for reference: the floors above against json.loads and json.dumps."""
    adopt, write = adopting_floor(LIST_TYPE), writing_floor()
    users = pc.ApiClient().deserialize(CannedResponse(text), LIST_TYPE).resources
    dicts = json.loads(text)["Resources"]
    return {"decode_floor": paired(lambda: adopt(json.loads(text)), lambda: json.loads(text)),
            "encode_floor": paired(lambda: write(users), lambda: json.dumps(dicts))}


def case_encode(pc, text: str) -> dict[str, dict]:
    """1,000 user models to JSON text vs json.dumps of the same users as parsed dicts: by the
    route request bodies take (ours: `ApiClient.serialize`; the official SDK's REST client
    json.dumps its `sanitize_for_serialization`), and, for ours, by that official route too."""
    client = pc.ApiClient()
    users = client.deserialize(CannedResponse(text), LIST_TYPE).resources
    dicts = json.loads(text)["Resources"]

    def via_dicts() -> str:
        return json.dumps(client.sanitize_for_serialization(users))

    if not hasattr(client, "serialize"):  # the official SDK
        return {"encode": paired(via_dicts, lambda: json.dumps(dicts))}
    return {"encode": paired(lambda: client.serialize(users), lambda: json.dumps(dicts)),
            "encode_dicts": paired(via_dicts, lambda: json.dumps(dicts))}


def case_memory(pc, text: str) -> dict:
    """Bytes a decoded user keeps alive vs its json.loads dicts (tracemalloc, 100 users)."""
    client, response = pc.ApiClient(), CannedResponse(text)
    client.deserialize(response, LIST_TYPE)  # warm-up: compiled plans are not per-user memory
    count = len(json.loads(text)["Resources"])
    tracemalloc.start()
    try:
        parsed_bytes = _retained(lambda: json.loads(text))
        model_bytes = _retained(lambda: client.deserialize(response, LIST_TYPE))
    finally:
        tracemalloc.stop()
    return {"sdk": model_bytes / count, "baseline": parsed_bytes / count, "ratio": model_bytes / parsed_bytes}


def _retained(make) -> int:
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    kept = make()
    gc.collect()
    size = tracemalloc.get_traced_memory()[0] - before
    del kept
    return size


SCALE_SIZES = {1_000: 9, 10_000: 5, 100_000: 3}  # users -> rounds (100,000 users: ~15 s a round)


def case_scale(pc) -> dict[str, dict]:
    """Ours only: decode and encode of 1,000, 10,000 and 100,000 users (fake.make_users), each
    against json.loads/json.dumps of the same data in the same rounds, to show the cost per
    user stays flat. The rule: every timed call ends with `gc.collect(0)` inside the clock, so
    a collection the call put off (ours pauses the collector's automatic collections while a
    large response is decoded) is charged to it. Decode has two baselines: json.loads as
    users call it (the collector on), and json.loads inside the same pause (the parsing
    alone, under the conditions ours decodes in)."""
    client = pc.ApiClient()
    return {str(count): _scale_one_size(client, count, rounds) for count, rounds in SCALE_SIZES.items()}


def _scale_one_size(client, count: int, rounds: int) -> dict:
    """case_scale's figures for one size; its data is freed when this returns."""
    from PureCloudPlatformClientV2._collector import PAUSE
    from PureCloudPlatformClientV2.sandbox.fake import make_users

    with PAUSE.held():  # making the data is not measured; paused, it takes half the time
        text = json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                           "totalResults": count, "startIndex": 1, "itemsPerPage": count,
                           "Resources": make_users(count)})
    response = CannedResponse(text)

    def loads_paused() -> object:
        with PAUSE.held():
            return json.loads(text)

    adopt, write = adopting_floor(LIST_TYPE), writing_floor()

    def floor_paused() -> object:
        with PAUSE.held():
            return adopt(json.loads(text))

    decode = _alternating({"ours": lambda: client.deserialize(response, LIST_TYPE), "loads": lambda: json.loads(text),
                           "loads_paused": loads_paused, "floor": floor_paused}, rounds)
    users = client.deserialize(response, LIST_TYPE).resources
    dicts = json.loads(text)["Resources"]
    encode = _alternating({"ours": lambda: client.serialize(users), "dumps": lambda: json.dumps(dicts),
                           "floor": lambda: write(users)}, rounds)
    return {
        "decode_per_user": decode["ours"]["time"] / count, "decode_ratio": decode["loads"]["ratio"],
        "decode_ratio_paused": decode["loads_paused"]["ratio"], "loads_per_user": decode["loads"]["time"] / count,
        "decode_floor_ratio": decode["floor"]["time"] / decode["loads_paused"]["time"],
        "encode_per_user": encode["ours"]["time"] / count, "encode_ratio": encode["dumps"]["ratio"],
        "encode_floor_ratio": encode["floor"]["time"] / encode["dumps"]["time"], "rounds": rounds}


def _alternating(functions: dict, rounds: int) -> dict[str, dict]:
    """Median CPU time of each function over `rounds` rounds (one call each, in turn; the
    plans are compiled by the cases before), and the median per-round ratio of "ours" to
    each. CPU time: at these sizes a busy machine's waits would swamp the wall clock."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            gc.collect()
            start = time.process_time()
            result = function()
            gc.collect(0)  # a collection the call put off is part of its cost
            times[name].append(time.process_time() - start)
            del result
    return {name: {"time": statistics.median(spent),
                   "ratio": statistics.median(o / b for o, b in zip(times["ours"], spent))}
            for name, spent in times.items()}


def case_request(pc, user_text: str, *, calls: int = 200) -> dict:
    """`get_scim_v2_user` on a keep-alive loopback server vs raw urllib3 + json.loads with
    the very headers the SDK sent (per call, medians of alternating rounds of `calls`)."""
    import urllib3
    from server import KeepAliveServer

    user_id = json.loads(user_text)["id"]
    with KeepAliveServer(user_text.encode()) as server:
        client = pc.ApiClient(host=server.url)
        client.access_token = "bench-token"
        api = pc.SCIMApi(client)
        api.get_scim_v2_user(user_id)
        headers = {k: v for k, v in server.last_headers.items() if k.lower() != "host"}
        pool = urllib3.PoolManager()
        url = f"{server.url}/api/v2/scim/v2/users/{user_id}"

        def sdk() -> None:
            for _ in range(calls):
                api.get_scim_v2_user(user_id)

        def raw() -> None:
            for _ in range(calls):
                json.loads(pool.request("GET", url, headers=headers).data)

        result = paired(sdk, raw, budget_s=6.0, rounds=(7, 25))
    result["sdk"] /= calls
    result["baseline"] /= calls
    result["headers"] = sorted(headers)
    return result


def case_concurrency(pc, user_text: str, *, calls: int = 200, threads: int = 16) -> dict[str, dict]:
    """Ours only, with httpx installed: `calls` concurrent `get_scim_v2_user` on a keep-alive
    loopback server (in a process of its own, so the clients have the interpreter to themselves)
    by AsyncSCIMApi on one event loop vs raw asyncio + httpx + json.loads with the very headers
    the SDK sends; and by SCIMApi in `threads` threads vs the same floor."""
    try:
        import httpx
    except ImportError:
        return {}
    import asyncio
    import subprocess
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    from PureCloudPlatformClientV2.aio import AsyncApiClient, AsyncSCIMApi

    user_id = json.loads(user_text)["id"]
    loop = asyncio.new_event_loop()
    with tempfile.NamedTemporaryFile(suffix=".json") as body:
        body.write(user_text.encode())
        body.flush()
        server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("server.py")), body.name],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        server_url = server.stdout.readline().strip()
        client = AsyncApiClient(host=server_url)
        client.access_token = "bench-token"
        api = AsyncSCIMApi(client)
        loop.run_until_complete(api.get_scim_v2_user(user_id))
        headers = client._holder._request_headers({"Authorization": "Bearer " + client.access_token}, False)
        url = f"{server_url}/api/v2/scim/v2/users/{user_id}"
        raw_client = httpx.AsyncClient(trust_env=False)
        sync_client = pc.ApiClient(host=server_url)
        sync_client.access_token = "bench-token"
        sync_api = pc.SCIMApi(sync_client)
        pool = ThreadPoolExecutor(threads)

        async def ours_at_once() -> list:
            return await asyncio.gather(*(api.get_scim_v2_user(user_id) for _ in range(calls)))

        async def raw_at_once() -> list:
            async def one() -> object:
                return json.loads((await raw_client.get(url, headers=headers)).content)
            return await asyncio.gather(*(one() for _ in range(calls)))

        def ours() -> list:
            return loop.run_until_complete(ours_at_once())

        def raw() -> list:
            return loop.run_until_complete(raw_at_once())

        def threaded() -> list:
            return list(pool.map(lambda _: sync_api.get_scim_v2_user(user_id), range(calls)))

        results = {"async_request": paired(ours, raw, budget_s=6.0, rounds=(7, 25)),
                   "threaded_request": paired(threaded, raw, budget_s=6.0, rounds=(7, 25))}
        pool.shutdown()
        sync_client.close()
        loop.run_until_complete(raw_client.aclose())
        loop.run_until_complete(client.aclose())
        server.stdin.close()
        server.wait(timeout=10)
    loop.close()
    for result in results.values():
        result["sdk"] /= calls
        result["baseline"] /= calls
        result["calls_per_s"] = 1 / result["sdk"]
        result["baseline_calls_per_s"] = 1 / result["baseline"]
    return results


def main() -> None:
    sdk_name, data_dir = sys.argv[1], Path(sys.argv[2])
    import PureCloudPlatformClientV2 as pc

    users_text = (data_dir / "users-1000.json").read_text(encoding="utf-8")
    results = {
        "sdk": sdk_name,
        "decode": case_decode(pc, users_text),
        **case_encode(pc, users_text),
        **({"decode_models": case_decode_models(users_text), **case_floors(pc, users_text)}
           if sdk_name == "ours" else {}),
        **({"scale": case_scale(pc)} if sdk_name == "ours" else {}),
        "memory": case_memory(pc, (data_dir / "users-100.json").read_text(encoding="utf-8")),
        "request": case_request(pc, (data_dir / "user.json").read_text(encoding="utf-8")),
        **(case_concurrency(pc, (data_dir / "user.json").read_text(encoding="utf-8")) if sdk_name == "ours" else {}),
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
