"""The "CSV" button: every round and stock at full precision, uploaded into the thread."""

import csv
import io

from systems.parse import parse

from bot.render.blocks import ACTION_CSV
from tests.slack.expect import bot_replies, table

POOL = "Pool(100) > Drained @ Pool * 0.15\n[Source] > Pool @ 3"


def systems_csv_rows(definition: str, rounds: int) -> list[list[str]]:
    """`systems`' own values, written the way Python writes floats in full (`repr`)."""
    model = parse(definition, tracebacks=False)
    visible = [s.name for s in model.stocks if s.show]
    snapshots = model.run(rounds=rounds)
    body = [[str(i), *(repr(snap[n]) for n in visible)] for i, snap in enumerate(snapshots)]
    return [["round", *visible], *body]


def _posted_run(slack, rounds: int) -> dict:
    slack.command(f"rounds={rounds}\n{POOL}")
    [message] = slack.standin.messages("C1")
    return message


def test_csv_uploads_every_round_at_full_precision_into_the_thread(slack):
    message = _posted_run(slack, 150)

    response = slack.click("C1", message, ACTION_CSV)

    assert response.status_code == 200
    [reserved] = slack.standin.calls_to("files.getUploadURLExternal")
    [completed] = slack.standin.calls_to("files.completeUploadExternal")
    assert completed["channel_id"] == "C1" and completed["thread_ts"] == message["ts"]
    [shared] = bot_replies(slack.standin, "C1", message["ts"])
    [file] = shared["files"]
    assert file["name"].endswith(".csv") and file["name"] == reserved["filename"]
    rows = list(csv.reader(io.StringIO(slack.standin.file_content(file["id"]).decode())))
    assert rows == systems_csv_rows(POOL, 150)
    assert len(table(message)) == 100 < len(rows) == 152  # the table is sampled, the CSV isn't


def test_csv_works_from_the_metadata_in_the_payload_too(slack):
    message = _posted_run(slack, 5)

    slack.click("C1", message, ACTION_CSV, with_metadata=True)

    [file] = slack.standin.files
    rows = list(csv.reader(io.StringIO(slack.standin.file_content(file["id"]).decode())))
    assert rows == systems_csv_rows(POOL, 5)
    assert file["shares"]["public"]["C1"]


def test_outside_the_bots_channels_the_button_asks_to_invite_the_bot(slack):
    slack.command("rounds=3\n[a] > b @ 5", channel="C2")
    [message] = slack.standin.messages("C2")

    response = slack.click("C2", message, ACTION_CSV)

    assert response.status_code == 200
    [note] = slack.standin.ephemerals("C2")
    assert note["recipient"] == "U1" and "`/invite` me" in note["text"]
    assert len(slack.standin.messages("C2")) == 1 and slack.standin.files == []
