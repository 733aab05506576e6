"""The `sysbot` command: run models in a terminal and start the local server."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from bot.settings import Settings

if TYPE_CHECKING:  # imported where used, so `sysbot --help` starts fast
    from bot.model import SeekResult, SweepResult

Result = TypeVar("Result")

EXIT_MODEL_ERROR = 1
EXIT_USAGE = 2
RUN_EXAMPLES = """\
examples:
  sysbot run funnel.txt                    the stocks for 10 rounds, as a table
  sysbot run funnel.txt -r 52 --format csv one year of weeks, as CSV
  sysbot run funnel.txt --set Screens=3    start Screens at 3 instead
  sysbot run funnel.txt --set Recruiters=1..5
                                           one scenario for each value: a table each
  sysbot run funnel.txt --find "Recruiters: Hires >= 50 at round 20"
                                           the fewest Recruiters for that goal
  echo '[a] > b @ 5' | sysbot run -        read the model from stdin

warnings go to stderr in every format, so stdout stays clean for pipes.
"""


def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    args = _parser(settings).parse_args(argv)
    try:
        return args.command(args, settings)
    except BrokenPipeError:
        # A reader such as `head` closed the pipe: that is how pipes end, not an error. Point
        # stdout at /dev/null so the interpreter's final flush doesn't complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser(settings: Settings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sysbot", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="run a model file (or - for stdin) and print it",
        description="Run a systems model and print its stocks round by round.",
        epilog=RUN_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("file", nargs="?", default="-", help="model file, or - for stdin")
    run.add_argument(
        "-r",
        "--rounds",
        type=functools.partial(_rounds, limit=settings.limits.max_rounds),
        help=f"rounds to run (default {settings.limits.default_rounds})",
    )
    run.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="table (default) for reading, csv for spreadsheets, json for programs",
    )
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="STOCK=VALUE",
        help="set a stock's initial value (repeatable); for one stock, a range or list of "
        "values (1..5, 0.1..0.5 step 0.1, 1,2,4,8) runs one scenario for each",
    )
    run.add_argument(
        "--find",
        metavar="GOAL",
        help="find the starting value of a stock at which a goal starts to hold: "
        '"Recruiters: Hires >= 50 at round 20", or "Recruiters in 0..100: ..." to say where '
        "to search",
    )
    run.set_defaults(command=_run)

    serve = commands.add_parser(
        "serve", help="start the local server: a Slack-like page driven by the bot, and the API"
    )
    serve.add_argument("--host", default="127.0.0.1", help="a loopback address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="default 8080; 0 picks a free port")
    serve.set_defaults(command=_serve)
    _add_slack_commands(commands)
    return parser


def _rounds(text: str, limit: int) -> int:
    """Rounds outside the limit are a usage error (exit 2), like any bad option value."""
    try:
        rounds = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: '{text}'") from None
    if not 0 <= rounds <= limit:
        raise argparse.ArgumentTypeError(f"{rounds} is outside 0 to {limit}")
    return rounds


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.model import ModelError
    from bot.render.data import error_json
    from bot.render.text import error_text

    try:
        definition = sys.stdin.read() if args.file == "-" else _read_file(args.file)
        settings_given = dict(_split_override(item) for item in args.set)
    except OSError as exc:
        print(f"sysbot: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except UnicodeDecodeError:
        print(f"sysbot: cannot read {args.file}: it is not UTF-8 text", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:
        print(f"sysbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return _run_model(definition, settings_given, args, settings)
    except ModelError as error:
        if args.format == "json":
            print(json.dumps(error_json(error), ensure_ascii=False))
        print(error_text(error), file=sys.stderr)
        return EXIT_MODEL_ERROR


def _run_model(
    definition: str, settings_given: dict[str, str], args: argparse.Namespace, settings: Settings
) -> int:
    """Run, sweep or seek as the options ask, print the answer, and return the exit status."""
    from bot.model import Seek, Sweep, run_definition, seek_definition, sweep_definition
    from bot.model.scenario_syntax import only_one, read_seek, split_settings
    from bot.render.data import result_csv, result_json
    from bot.render.text import table_text

    overrides, sweep = split_settings(settings_given)
    many = only_one(sweep, read_seek(args.find) if args.find else None)
    options = (args.rounds, overrides, settings.limits)
    if isinstance(many, Sweep):
        return _print_sweep(sweep_definition(definition, many, *options), args.format)
    if isinstance(many, Seek):
        return _print_seek(seek_definition(definition, many, *options), args.format)
    result = run_definition(definition, *options)
    _print(args.format, result, table_text, result_csv, result_json)
    _warn(result.warnings)
    return 0


def _print_sweep(result: SweepResult, output: str) -> int:
    """Every scenario that ran; those that failed, on stderr. Exit 1 when none ran."""
    from bot.model.scenario_syntax import scenario_label
    from bot.render.data import sweep_csv, sweep_json
    from bot.render.text import error_text, sweep_text, sweep_warnings

    _print(output, result, sweep_text, sweep_csv, sweep_json)
    _warn(sweep_warnings(result))
    failed = [scenario for scenario in result.scenarios if scenario.error is not None]
    for scenario in failed:
        label = scenario_label(result.sweep.stock, scenario.value)
        print(f"{label} failed: {error_text(scenario.error)}", file=sys.stderr)
    return EXIT_MODEL_ERROR if len(failed) == len(result.scenarios) else 0


def _print_seek(result: SeekResult, output: str) -> int:
    """The answer and the run at it; with no answer, why and the values tried, and exit 1."""
    from bot.render.data import result_csv, seek_json
    from bot.render.text import error_text, samples_text, seek_text

    if result.answer is None:
        if output == "json":
            print(json.dumps(seek_json(result), ensure_ascii=False))
        print(error_text(result.problem), file=sys.stderr)
        print(f"Values tried:\n{samples_text(result)}", file=sys.stderr)
        return EXIT_MODEL_ERROR
    _print(output, result, seek_text, lambda found: result_csv(found.run), seek_json)
    _warn(result.run.warnings)
    return 0


def _print(
    output: str,
    result: Result,
    table: Callable[[Result], str],
    csv: Callable[[Result], str],
    payload: Callable[[Result], dict],
) -> None:
    """`result` on stdout as a table, CSV or JSON, by the functions given for each."""
    if output == "json":
        print(json.dumps(payload(result), ensure_ascii=False))
    else:
        print((table if output == "table" else csv)(result).rstrip("\n"))


def _warn(warnings: list[str]) -> None:
    """Warnings go to stderr in every format, so stdout stays clean for pipes."""
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _read_file(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _split_override(item: str) -> tuple[str, str]:
    name, equals, value = item.partition("=")
    if not equals or not name.strip():
        raise ValueError(f"--set wants STOCK=VALUE, not `{item}`")
    return name.strip(), value.strip()


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from local_workspace.server import serve

    serve(args.host, args.port, settings)
    return 0


def _add_slack_commands(commands: argparse._SubParsersAction) -> None:
    manifest = commands.add_parser(
        "manifest", help="print the Slack app manifest, ready for Create app from manifest"
    )
    target = manifest.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="the slack_events function's https:// URL")
    target.add_argument(
        "--socket-mode", action="store_true", help="for the development app used by sysbot dev"
    )
    manifest.add_argument("--yaml", action="store_true", help="print YAML instead of JSON")
    manifest.set_defaults(command=_manifest)

    dev = commands.add_parser(
        "dev", help="run the Slack bot over Socket Mode (SLACK_APP_TOKEN, SLACK_BOT_TOKEN)"
    )
    dev.set_defaults(command=_dev)


def _manifest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.manifest import CUSTOM_STEP_NOTE, ManifestError, dump_manifest, manifest_for

    try:
        text = dump_manifest(manifest_for(args.url, args.socket_mode), as_yaml=args.yaml)
    except (ManifestError, ValueError) as exc:
        print(f"sysbot manifest: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(text)
    kind = "YAML" if args.yaml else "JSON"
    # stderr, so that stdout stays exactly what to paste.
    print(
        f"sysbot manifest: {kind} above; paste it into https://api.slack.com/apps > "
        f"Create New App > From a manifest ({kind} tab)",
        file=sys.stderr,
    )
    print(f"sysbot manifest: {CUSTOM_STEP_NOTE}", file=sys.stderr)
    return 0


def _dev(args: argparse.Namespace, settings: Settings) -> int:
    import os
    from dataclasses import replace

    from bot.slack.dev import DevSetupError, serve_socket_mode, tokens_from_env

    try:
        app_token, bot_token = tokens_from_env(os.environ)
        serve_socket_mode(app_token, replace(settings, slack_bot_token=bot_token))
    except DevSetupError as exc:
        print(f"sysbot dev: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


if __name__ == "__main__":
    sys.exit(main())
