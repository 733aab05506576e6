"""The one table, the machine it ran on, and the JSON copy."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

PASS, MISS, INFO = "PASS", "MISS", "—"
COLUMNS = ["#", "Figure", "Measured", "Baseline", "Ratio", "Target", "Result"]


@dataclass
class Row:
    number: int
    figure: str
    measured: str
    baseline: str
    ratio: float | None
    target: str = "—"
    verdict: str = INFO
    data: dict = field(default_factory=dict)


def verdict(ok: bool) -> str:
    return PASS if ok else MISS


def table(rows: list[Row]) -> str:
    lines = [_line(COLUMNS), _line(["---"] * len(COLUMNS))]
    for row in sorted(rows, key=lambda r: r.number):
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}x"
        cells = [str(row.number), row.figure, row.measured, row.baseline, ratio, row.target]
        lines.append(_line([*cells, row.verdict]))
    return "\n".join(lines)


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def machine() -> dict[str, str | int]:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count() or 0,
        "usable_cores": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


def machine_line(info: dict[str, str | int]) -> str:
    return (
        f"{info['cpu']}, {info['cores']} cores ({info['usable_cores']} usable), "
        f"Python {info['python']}, {info['system']}"
    )


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine skews every figure."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def write_json(path: Path, header: dict, rows: list[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {**header, "rows": [asdict(row) for row in sorted(rows, key=lambda r: r.number)]}
    path.write_text(json.dumps(payload, indent=2) + "\n")
