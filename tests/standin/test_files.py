"""The three-step external upload, with slack_sdk's files_upload_v2 and by hand."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import BOT_USER_ID, SlackStandIn

CSV = "a,b\n1,2\n"
PNG_LIKE = b"\x89PNG\r\n\x1a\n\x00\x00\r\n\r\n\xff\xfe"


def post(url: str, body: bytes, content_type: str) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value.response["error"]


def test_files_upload_v2_into_a_thread(client: WebClient, standin: SlackStandIn) -> None:
    parent = standin.add_user_message("C1", "model")
    answer = client.files_upload_v2(
        channel="C1",
        thread_ts=parent["ts"],
        content=CSV,
        filename="run.csv",
        title="Run results",
        initial_comment="Here is the CSV",
    )
    file_id = answer["file"]["id"]
    assert answer["file"]["title"] == "Run results"
    assert standin.file_content(file_id) == CSV.encode()

    [_, share] = standin.thread("C1", parent["ts"])
    assert share["text"] == "Here is the CSV" and share["user"] == BOT_USER_ID
    [shared] = share["files"]
    assert (shared["id"], shared["name"], shared["title"]) == (file_id, "run.csv", "Run results")
    assert (shared["size"], shared["mimetype"]) == (len(CSV), "text/csv")
    assert standin.files[0]["shares"] == {"public": {"C1": [{"ts": share["ts"]}]}}
    assert [name for name, _ in standin.calls] == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]


def test_binary_upload(client: WebClient, standin: SlackStandIn) -> None:
    reserved = client.files_getUploadURLExternal(filename="chart.png", length=len(PNG_LIKE))
    status, text = post(reserved["upload_url"], PNG_LIKE, "application/octet-stream")
    assert (status, text) == (200, f"OK - {len(PNG_LIKE)}")
    client.files_completeUploadExternal(files=[{"id": reserved["file_id"]}], channel_id="C1")
    assert standin.file_content(reserved["file_id"]) == PNG_LIKE
    assert standin.messages("C1")[0]["files"][0]["mimetype"] == "image/png"


def test_upload_without_channel_stays_private(client: WebClient, standin: SlackStandIn) -> None:
    client.files_upload_v2(content=CSV, filename="run.csv")
    assert standin.messages("C1") == []
    assert standin.files[0]["shares"] == {}


def test_complete_before_upload_fails(client: WebClient) -> None:
    reserved = client.files_getUploadURLExternal(filename="run.csv", length=8)
    complete = lambda: client.files_completeUploadExternal(  # noqa: E731
        files=[{"id": reserved["file_id"]}], channel_id="C1"
    )
    assert error_of(complete) == "file_not_uploaded"


def test_length_must_match(client: WebClient) -> None:
    reserved = client.files_getUploadURLExternal(filename="run.csv", length=100)
    assert post(reserved["upload_url"], CSV.encode(), "application/octet-stream")[0] == 200
    complete = lambda: client.files_completeUploadExternal(  # noqa: E731
        files=[{"id": reserved["file_id"]}], channel_id="C1"
    )
    assert error_of(complete) == "file_size_mismatch"


def test_upload_errors(client: WebClient, standin: SlackStandIn) -> None:
    assert error_of(lambda: client.files_completeUploadExternal(files=[{"id": "F404"}])) == (
        "file_not_found"
    )
    assert post(standin.base_url + "/_standin/upload/F404", b"x", "text/plain")[0] == 404
    get_url = client.files_getUploadURLExternal
    assert error_of(lambda: get_url(filename="x.csv", length=0)) == "invalid_arguments"
    upload = lambda channel: client.files_upload_v2(  # noqa: E731
        channel=channel, content=CSV, filename="run.csv"
    )
    assert error_of(lambda: upload("C2")) == "not_in_channel"
    assert error_of(lambda: upload("C404")) == "channel_not_found"


def test_thread_must_exist(client: WebClient) -> None:
    upload = lambda: client.files_upload_v2(  # noqa: E731
        channel="C1", thread_ts="1.000001", content=CSV, filename="run.csv"
    )
    assert error_of(upload) == "thread_not_found"


def test_completion_answer_is_slack_shaped(client: WebClient) -> None:
    reserved = client.files_getUploadURLExternal(filename="r.csv", length=len(CSV))
    post(reserved["upload_url"], CSV.encode(), "application/x-www-form-urlencoded")
    answer = client.api_call(
        "files.completeUploadExternal",
        data={"files": json.dumps([{"id": reserved["file_id"], "title": "T"}])},
    )
    assert answer["files"] == [{"id": reserved["file_id"], "title": "T"}]
