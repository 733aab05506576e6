"""The JSON API end to end: `run_model` from main.py in the real functions-framework server on
a loopback port, called over HTTP as a browser page or curl would."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests

from bot.model.scenario_syntax import read_value_set
from tests.model.oracle import exact_rows, systems_run
from tests.model.scenario_oracle import FUNNEL, edited, systems_with
from tests.servers import FunctionServer

LIMIT = 65_536
ERROR_KEYS = {"message", "line", "column", "hint"}


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    with FunctionServer("run_model", {"SYSBOT_MAX_BODY_BYTES": str(LIMIT)}) as server:
        yield server.url


@pytest.fixture(scope="module")
def small_api() -> Iterator[str]:
    with FunctionServer("run_model", {"SYSBOT_MAX_BODY_BYTES": "1000"}) as server:
        yield server.url


def post(url: str, **kwargs) -> requests.Response:
    response = requests.post(url, timeout=30, **kwargs)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response


def error_of(response: requests.Response, status: int = 400) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == ERROR_KEYS
    assert error["message"]
    return error


def assert_rows_equal_systems(payload: dict, text: str, rounds: int) -> None:
    stocks, rows = systems_run(text, rounds)
    assert payload["columns"] == ["round", *stocks]
    assert exact_rows(payload["rows"]) == exact_rows(rows)


# --- the two requests that must work -----------------------------------------------------------


def test_a_single_flow(api):
    response = post(api, json={"definition": "a > b @ 1"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == {
        "columns": ["round", "a", "b"],
        "rows": [[i, 0, 0] for i in range(11)],
        "warnings": [
            "Line 1: `a` starts at 0 and nothing fills it, so nothing flows out of it. "
            "Did you mean `[a]` (an infinite stock) or `a(100)` (a starting value)?"
        ],
        "truncated": False,
    }


def test_an_infinite_source_and_a_chain(api):
    text = "[a] > b @ 5\nb > c @ 4"
    response = post(api, json={"definition": text})
    assert response.status_code == 200
    payload = response.json()
    assert payload["columns"][0] == "round"
    assert_rows_equal_systems(payload, text, 10)
    assert payload["rows"][:3] == [[0, 0, 0], [1, 5, 0], [2, 6, 4]]  # by hand
    assert (payload["warnings"], payload["truncated"]) == ([], False)


def test_rounds_in_the_body(api):
    text = "[a] > b @ 3\nb > c @ Leak(0.5)"
    payload = post(api, json={"definition": text, "rounds": 40}).json()
    assert_rows_equal_systems(payload, text, 40)


def test_overrides_in_the_body(api):
    payload = post(api, json={"definition": "a(5) > b @ 1", "overrides": {"a": 2}}).json()
    assert payload["rows"][:3] == [[0, 2, 0], [1, 1, 1], [2, 0, 2]]


def test_inf_comes_back_as_a_string(api):
    response = post(api, json={"definition": "a(inf) > b @ 1", "rounds": 1})
    assert response.json()["rows"] == [[0, "inf", 0], [1, "inf", 1]]
    assert "Infinity" not in response.text


def test_warnings_and_truncation_are_reported(api):
    payload = post(api, json={"definition": "[x] > a @ a * 3\na(1)", "rounds": 1000}).json()
    assert payload["truncated"] is True
    assert "outgrew floating point" in payload["warnings"][-1]


# --- sweeps and seeks --------------------------------------------------------------------------


@pytest.mark.parametrize("values", [[1, 2.5, 4], "1..4", "0.5..1.5 step 0.5", "1,3"])
def test_a_sweep_answers_each_scenario_as_systems_computes_it(api, values):
    response = post(api, json={"definition": FUNNEL, "rounds": 6, "sweep": {"Recruiters": values}})
    assert response.status_code == 200, response.text
    payload = response.json()
    assert (payload["stock"], payload["warnings"], payload["truncated"]) == (
        "Recruiters",
        [],
        False,
    )
    for scenario in payload["scenarios"]:
        stocks, rows = systems_with(FUNNEL, "Recruiters", scenario["value"], 6)
        assert scenario["columns"] == ["round", *stocks]
        assert exact_rows(scenario["rows"]) == exact_rows(rows)
    assert [type(s["value"]) for s in payload["scenarios"]] == [
        type(v) for v in (values if isinstance(values, list) else read_value_set(values))
    ]


def test_a_sweep_keeps_the_overrides(api):
    body = {
        "definition": FUNNEL,
        "rounds": 2,
        "overrides": {"Screens": 4},
        "sweep": {"Recruiters": [1]},
    }
    (scenario,) = post(api, json=body).json()["scenarios"]
    assert scenario["rows"][0] == [0, 1, 4, 0, 0]


def test_a_scenario_that_fails_is_an_error_beside_the_others(api):
    body = {"definition": "[C] > S @ 10 / R\nR(2)", "rounds": 1, "sweep": {"R": [0, 1]}}
    broken, ran = post(api, json=body).json()["scenarios"]
    assert broken["value"] == 0 and set(broken["error"]) == ERROR_KEYS
    assert ran["rows"] == [[0, 0, 1], [1, 10.0, 1]]


def test_a_seek_answers_with_the_run_at_the_value_found(api):
    seek = {"vary": "Recruiters", "target": "Hires", "op": ">=", "value": 50, "round": 20,
            "range": [0, 100]}  # fmt: skip
    response = post(api, json={"definition": FUNNEL, "seek": seek})
    assert response.status_code == 200, response.text
    payload = response.json()
    found = payload["seek"]
    assert (found["value"], found["holds"], found["failing_value"]) == (3, True, 2)
    assert found["runs"] == len(found["samples"])
    assert_rows_equal_systems(payload, edited(FUNNEL, "Recruiters", 3), 20)
    stocks, failing = systems_with(FUNNEL, "Recruiters", 2, 20)
    assert failing[20][stocks.index("Hires") + 1] < 50


def test_a_seek_with_a_decimal_step(api):
    seek = {"vary": "Recruiters", "target": "Hires", "op": "<", "value": 40, "range": [1, 3],
            "step": 0.25}  # fmt: skip
    found = post(api, json={"definition": FUNNEL, "rounds": 20, "seek": seek}).json()["seek"]
    assert (found["value"], found["failing_value"], found["step"]) == (2.25, 2.5, 0.25)


def test_a_goal_that_cant_be_met_is_a_400_with_the_values_tried(api):
    seek = {"vary": "Recruiters", "target": "Hires", "op": ">=", "value": 500, "range": [0, 3]}
    response = post(api, json={"definition": FUNNEL, "rounds": 20, "seek": seek})
    error = error_of(response)
    assert "holds for no value of `Recruiters` tried from 0 to 3" in error["message"]
    tried = response.json()["seek"]
    assert [sample["target_value"] for sample in tried["samples"]] == [0, 18, 36, 54]
    assert tried["runs"] == 4


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"sweep": {"Recruiters": [1, 2], "Screens": "1..3"}}, "`Recruiters` and `Screens`"),
        ({"sweep": {"Recruiters": "1..13"}}, "at most 12"),
        ({"sweep": {"Recruitrs": [1, 2]}}, "no stock called `Recruitrs`"),
        ({"sweep": {"Recruiters": [1, 2]}, "overrides": {"Recruiters": 3}}, "one value (3)"),
        ({"sweep": [1, 2]}, '"sweep" must map a stock'),
        ({"sweep": {"Recruiters": [1, "2"]}}, '"sweep" must map a stock'),
        ({"sweep": {"Recruiters": [True]}}, '"sweep" must map a stock'),
        ({"sweep": {}}, "names no stock"),
        ({"seek": {"vary": "Recruiters", "target": "Hires", "op": ">="}}, '"value" as a number'),
        ({"seek": {"vary": "Recruiters", "target": "Hires", "op": "=>", "value": 5}}, "`=>`"),
        ({"seek": {"vary": "R", "target": "H", "op": ">", "value": 5, "round": -1}}, "round"),
        ({"seek": {"vary": "R", "target": "H", "op": ">", "value": 5, "range": [1]}}, '"range"'),
        ({"seek": {"vary": "R", "target": "H", "op": ">", "value": 5, "step": 1}}, '"range"'),
        ({"seek": {"vary": "R", "target": "H", "op": ">", "value": 5, "range": [0, 1],
                   "step": "1"}}, '"step"'),
        ({"seek": {"vary": "Recruiters", "target": "Hires", "op": ">", "value": 5, "round": 50},
          "rounds": 10}, "runs end at round 10"),
        ({"sweep": {"Recruiters": [1]}, "seek": {"vary": "Recruiters", "target": "Hires",
                                                 "op": ">", "value": 5}}, "can't run together"),
    ],
)  # fmt: skip
def test_a_sweep_or_seek_that_cant_run_is_a_400(api, extra, words):
    error = error_of(post(api, json={"definition": FUNNEL, **extra}))
    assert words in error["message"]
    assert error["hint"]


def test_an_unusable_code_point_in_a_sweep_is_a_400(api):
    error = error_of(post(api, json={"definition": FUNNEL, "sweep": {"R\u0000": [1]}}))
    assert "U+0000" in error["message"] and '"sweep"' in error["message"]


# --- plain text bodies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded"]
)
def test_a_text_body_is_the_definition(api, content_type):
    # `curl --data-binary @model.txt` sends the form content type
    text = "[a] > b @ 5\nb > c @ 4\n"
    response = post(api, data=text.encode(), headers={"Content-Type": content_type})
    assert response.status_code == 200
    assert_rows_equal_systems(response.json(), text, 10)


def test_rounds_in_the_query_for_a_text_body(api):
    response = post(api + "?rounds=3", data=b"[a] > b @ 5", headers={"Content-Type": "text/plain"})
    assert response.json()["rows"] == [[0, 0], [1, 5], [2, 10], [3, 15]]


@pytest.mark.parametrize("rounds", ["x", "2.5", "\u00b2", "9" * 30])
def test_a_bad_query_rounds_is_a_400(api, rounds):
    response = post(
        api, params={"rounds": rounds}, data=b"[a] > b @ 5", headers={"Content-Type": "text/plain"}
    )
    assert "rounds" in error_of(response)["message"]


def test_json_sent_without_a_json_content_type_is_read_as_json(api):
    # `curl -d '{"definition": ...}'` sends application/x-www-form-urlencoded
    body = json.dumps({"definition": "[a] > b @ 5", "rounds": 2}).encode()
    response = post(api, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200
    assert response.json()["rows"] == [[0, 0], [1, 5], [2, 10]]


# --- errors ------------------------------------------------------------------------------------


def test_a_model_error(api):
    error = error_of(post(api, json={"definition": "[a] > b @ 5\nPhone-Screens > b @ 1"}))
    assert (error["line"], error["column"]) == (2, 6)
    assert "`-`" in error["message"]
    assert "`_`" in error["hint"]


def test_an_unknown_reference_names_the_stock_it_meant(api):
    text = "[Hiring] > PhoneScreens @ 2\nPhoneScreens > Onsites @ PhoneScren / 2"
    error = error_of(post(api, json={"definition": text}))
    assert (error["line"], error["column"]) == (2, text.split("\n")[1].index("PhoneScren /") + 1)
    assert error["hint"] == "Did you mean `PhoneScreens`?"


@pytest.mark.parametrize(
    "body",
    [b"{", b'{"definition": "a > b @ 1",}', b"[1, 2", b"\xff\xfe", b"[" * 50_000],
    ids=["truncated", "trailing comma", "unclosed array", "not utf-8", "nested too deep"],
)
def test_malformed_json_is_a_400(api, body):
    error = error_of(post(api, data=body, headers={"Content-Type": "application/json"}))
    assert (error["line"], error["column"]) == (None, None)


def test_a_number_too_long_to_read_is_a_400(api):
    body = b'{"definition": "a > b @ 1", "rounds": ' + b"9" * 5000 + b"}"
    error = error_of(post(api, data=body, headers={"Content-Type": "application/json"}))
    assert "not valid JSON" in error["message"]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"rounds": 3},
        {"definition": None},
        {"definition": 5},
        {"definition": ["a > b @ 1"]},
        {"definition": "a > b @ 1", "rounds": "3"},
        {"definition": "a > b @ 1", "rounds": 2.5},
        {"definition": "a > b @ 1", "rounds": True},
        {"definition": "a > b @ 1", "overrides": ["a"]},
        {"definition": "a > b @ 1", "overrides": {"a": None}},
        ["a > b @ 1"],
        "a > b @ 1",
    ],
)
def test_a_missing_field_or_a_wrong_type_is_a_400(api, payload):
    error = error_of(post(api, json=payload))
    assert error["hint"]


@pytest.mark.parametrize("rounds", [-1, 1001])
def test_rounds_outside_the_limit_is_a_400(api, rounds):
    error = error_of(post(api, json={"definition": "a > b @ 1", "rounds": rounds}))
    assert "0 to 1000" in error["message"]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_a_405_with_allow(api, method):
    response = requests.request(method, api, timeout=30)
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert set(response.json()["error"]) == ERROR_KEYS


def test_options_is_a_204_preflight(api):
    response = requests.options(
        api,
        headers={
            "Origin": "https://example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()


# --- body size ---------------------------------------------------------------------------------


def _json_body(size: int) -> bytes:
    """A JSON body of exactly `size` bytes."""
    head, tail = b'{"definition": "', b'"}'
    return head + b"#" * (size - len(head) - len(tail)) + tail


def test_a_body_of_64_kb_is_read(api):
    response = post(api, data=_json_body(LIMIT), headers={"Content-Type": "application/json"})
    # read and refused for the model's own limit, not for the body's size
    assert "20,000" in error_of(response)["message"]


def test_a_body_past_64_kb_is_a_413(api):
    body = _json_body(LIMIT + 1)
    error = error_of(post(api, data=body, headers={"Content-Type": "application/json"}), 413)
    assert "65,536" in error["message"]


def test_a_chunked_body_past_64_kb_is_a_413(api):
    chunks = (b"#" * 1024 for _ in range(80))  # a generator is sent without Content-Length
    error = error_of(post(api, data=chunks, headers={"Content-Type": "text/plain"}), 413)
    assert "65,536" in error["message"]


def test_the_body_limit_comes_from_sysbot_max_body_bytes(small_api):
    assert post(small_api, data=_json_body(1000)).status_code == 200
    error = error_of(post(small_api, data=_json_body(1001)), 413)
    assert "1,000 bytes" in error["message"]


# --- odd code points -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, code_point",
    [
        ('{"definition": "[a] > b @ 5\\ud800", "rounds": 3}', "U+D800"),
        ('{"definition": "[a] > b @ 5\\udfff"}', "U+DFFF"),
        ('{"definition": "[a] > b @ 5\\u0000"}', "U+0000"),
        ('{"definition": "[a] > b @ 5\\u001b"}', "U+001B"),
        ('{"definition": "[a] > b @ 5\\ufffe"}', "U+FFFE"),
        ('{"definition": "[a] > b @ 5", "overrides": {"\\ud800": 1}}', "U+D800"),
        ('{"definition": "[a] > b @ 5", "overrides": {"b": "\\u0000"}}', "U+0000"),
    ],
    ids=["lone high surrogate", "lone low surrogate", "NUL", "escape", "noncharacter",
         "override name", "override value"],
)  # fmt: skip
def test_an_unusable_code_point_is_a_400_naming_it(api, body, code_point):
    response = post(api, data=body, headers={"Content-Type": "application/json"})
    error = error_of(response)
    assert code_point in error["message"]
    assert error["hint"]


def test_an_unusable_code_point_says_where_it_is(api):
    body = '{"definition": "[a] > b @ 5\\nb > c @ 1\\u0000"}'
    error = error_of(post(api, data=body, headers={"Content-Type": "application/json"}))
    assert "line 2, column 10" in error["message"]


def test_a_nul_in_a_text_body_is_a_400(api):
    response = post(api, data=b"[a] > b @ 5\x00", headers={"Content-Type": "text/plain"})
    assert "U+0000" in error_of(response)["message"]


def test_tabs_and_line_breaks_are_usable(api):
    response = post(api, json={"definition": "[a] > b @ 5\r\nb > c @\t1"})
    assert response.status_code == 200, response.text


def test_an_unexpected_failure_is_a_500_whose_log_quotes_nothing_of_the_model(monkeypatch, capsys):
    from bot import api as api_module
    from tests.in_process import function_client

    secret_model = "[Payroll] > Bonuses @ 12345"

    def failing_run(definition, *args):
        raise UnicodeEncodeError("utf-8", definition, 0, 1, "surrogates not allowed")

    monkeypatch.setattr(api_module, "run_definition", failing_run)
    with function_client("run_model") as client:
        response = client.post("/", json={"definition": secret_model})
    assert response.status_code == 500
    assert response.json["error"]["message"].startswith("Sorry, something went wrong")
    logged = capsys.readouterr()
    assert "API request failed: UnicodeEncodeError" in logged.out
    assert "Payroll" not in logged.out + logged.err
