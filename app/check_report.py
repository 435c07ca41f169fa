"""How `precedent check` reports an index's generations in a terminal: per file, and what to do."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from index.store import GenerationCheck


def print_check(console: Console, index_dir: str, checks: list[GenerationCheck]) -> bool:
    """Print every generation's verification; True when the live one is intact."""
    console.print(f"Index: {index_dir}")
    for check in checks:
        found = check.verification
        role = "live generation" if check.live else "previous generation"
        if not found.has_checksums:
            console.print(f"{role} {check.name}: built before checksums; cannot be verified")
            continue
        state = "intact" if found.intact else "[bold red]DAMAGED[/bold red]"
        console.print(
            f"{role} {check.name}: {state} ({found.files} files, "
            f"{found.bytes_read / 1e6:,.1f} MB verified)"
        )
        for damage in found.damaged:
            console.print(f"  {escape(damage.path)}: {escape(damage.problem)}")
        for name in found.unlisted:
            console.print(f"  {escape(name)}: added after the build, not covered by checksums")
    live = checks[0].verification
    if live.intact and live.has_checksums:
        return True
    if not live.has_checksums:
        console.print("Run `precedent ingest --rebuild` to write an index with checksums.")
        return True
    console.print("What to do: run `precedent ingest` to rebuild the index from the documents.")
    if any(c.verification.intact and c.verification.has_checksums for c in checks[1:]):
        console.print(
            "Meanwhile `precedent check --restore-previous` switches back to the intact previous "
            "generation (documents added since are missing from it until the next ingest)."
        )
    return False
