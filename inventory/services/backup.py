"""Backups: the nightly online copy of an SQLite database (the last few kept), and the
operator's `inventory backup create FILE` / `restore FILE` for SQLite and PostgreSQL.

SQLite's backup API copies a consistent snapshot while the app keeps serving, and restores
one into the database the same way. PostgreSQL's own tools do both there: pg_dump's custom
format (a consistent snapshot too), and pg_restore's SQL run by psql in one transaction
together with the dropping of what it replaces. A copy cut short or damaged is refused
before the register it would replace is touched (SQLite: the copy is one transaction on the
target; PostgreSQL: the file is read through first), and a restore that fails on the way
leaves the register as it was (the transaction is rolled back). Every table is in the copy,
the evidence files too (they are in the database)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, Engine

from .. import migrate
from ..domain.errors import ValidationFailed
from ..domain.text import N_
from ..files import private_directory, private_file

KEEP = 7


def backup_sqlite(
    engine: Engine, *, folder: Path, now: dt.datetime, keep: int = KEEP
) -> dict[str, int]:
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return {"skipped": 1}
    private_directory(folder)
    target = folder / f"inventory-{now:%Y%m%d-%H%M%S-%f}.db"
    # A copy of the register is as private as the register itself.
    private_file(target)
    _sqlite_copy(Path(engine.url.database), target)
    copies = sorted(folder.glob("inventory-*.db"))
    for old in copies[:-keep]:
        old.unlink()
    return {"bytes": target.stat().st_size, "kept": min(len(copies), keep)}


SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupFailed(RuntimeError):
    """pg_dump or pg_restore said no: their own message, for the operator."""


@dataclass(frozen=True)
class Restored:
    revision: str | None  # the schema revision the copy had
    current: bool  # whether that is the code's head (else: inventory db upgrade)


def create(engine: Engine, target: Path) -> int:
    """A copy of the whole database in `target` (made private, as the register is); its size
    in bytes."""
    target = Path(target)
    if target.exists():
        raise ValidationFailed({"file": N_("The file exists already: choose a new name.")})
    private_directory(target.parent)
    private_file(target)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_copy(_sqlite_path(engine), target)
        else:
            _pg("pg_dump", engine.url, "--format=custom", "--no-owner", "--no-privileges",
                f"--file={target}")  # fmt: skip
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target.stat().st_size


def restore(engine: Engine, source: Path, *, replace: bool) -> Restored:
    """The database made what `source` holds. Refused for a file of the other database or
    none we know, and, unless `replace`, for a database that holds a register already."""
    source = Path(source)
    try:
        head = source.open("rb").read(16)
    except OSError:
        raise ValidationFailed({"file": N_("The file could not be read.")}) from None
    sqlite = engine.dialect.name == "sqlite"
    expected = SQLITE_MAGIC if sqlite else PG_DUMP_MAGIC
    if not head.startswith(expected):
        raise ValidationFailed({"file": N_(
            "The file is not a backup of this kind of database: a copy of SQLite is restored "
            "into SQLite, and a pg_dump in its custom format into PostgreSQL."
        )})  # fmt: skip
    if not replace and not migrate.is_empty(engine):
        raise ValidationFailed({"database": N_(
            "The database holds a register already: say that the backup is to replace it."
        )})  # fmt: skip
    engine.dispose()  # no connection of ours holds the database while it is replaced
    if sqlite:
        _sqlite_copy(source, _sqlite_path(engine))
    else:
        # The whole file read through first, without a database (to /dev/null): a copy cut
        # short or damaged is refused before the register it would replace is dropped.
        _pg_tool("pg_restore", "--file=/dev/null", str(source))
        _pg_restore(engine.url, source, replace=replace)
    engine.dispose()
    with engine.connect() as conn:
        tables = inspect(conn).get_table_names()
    revision = migrate.current_revision(engine) if "alembic_version" in tables else None
    return Restored(revision, migrate.is_current(engine) if revision else False)


def _sqlite_path(engine: Engine) -> Path:
    if not engine.url.database or engine.url.database == ":memory:":
        raise ValidationFailed({"database": N_("An in-memory database has nothing to back up.")})
    return Path(engine.url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy, page by page, of a database in use."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            # One transaction on the target: a copy that cannot be read through leaves it.
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise BackupFailed(f"sqlite: {exc}") from None
    finally:
        src.close()


def _pg_restore(url: URL, source: Path, *, replace: bool) -> None:
    """The copy restored in one transaction which, to replace a register, first empties the
    schema: pg_restore writes the copy as SQL, psql runs it between our BEGIN and COMMIT,
    stopping at the first error (which rolls everything back, the dropped register included).
    The COMMIT is sent only once pg_restore has written the whole copy. (pg_restore --clean
    would leave tables the copy does not have; dropping first in a transaction of its own
    left an empty register when the restore then failed.)"""
    pg_restore, psql = (_program(tool) for tool in ("pg_restore", "psql"))
    env, target = _connection(url)
    start = b"BEGIN;\n" + (
        b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n" if replace else b""
    )
    # psql's messages go to a file, read at the end: a pipe nobody reads while pg_restore
    # writes could fill up and stop both.
    with tempfile.TemporaryFile() as said_by_psql:
        reader = subprocess.Popen(  # our own arguments, no shell
            [psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", f"--dbname={target}"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=said_by_psql, env=env,
        )  # fmt: skip
        assert reader.stdin is not None
        writer_failed: str | None = None
        try:
            reader.stdin.write(start)
            reader.stdin.flush()
            writer = subprocess.run(
                [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(source)],
                stdout=reader.stdin, stderr=subprocess.PIPE, check=False,
            )  # fmt: skip
            if writer.returncode != 0:
                writer_failed = writer.stderr.decode(errors="replace").strip() or "failed"
            reader.stdin.write(b"COMMIT;\n" if writer_failed is None else b"ROLLBACK;\n")
        except BrokenPipeError:  # psql stopped (at an error, or never connected)
            pass
        finally:
            try:
                reader.stdin.close()
            except BrokenPipeError:
                pass
        code = reader.wait()
        said_by_psql.seek(0)
        errors = said_by_psql.read().decode(errors="replace").strip()
    if code != 0 or writer_failed is not None:
        raise BackupFailed(f"pg_restore: {(errors or writer_failed or 'failed')[:2000]}")


def _pg(tool: str, url: URL, *args: str) -> None:
    """Run pg_dump against the engine's database."""
    env, target = _connection(url)
    _pg_tool(tool, *args, f"--dbname={target}", env=env)


def _connection(url: URL) -> tuple[dict[str, str], str]:
    """The environment and address for PostgreSQL's tools: the password through the
    environment, never on the command line, where `ps` would show it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env, url.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False
    )


def _program(tool: str) -> str:
    program = shutil.which(tool)
    if program is None:
        raise BackupFailed(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    return program


def _pg_tool(tool: str, *args: str, env: dict[str, str] | None = None) -> None:
    program = _program(tool)
    done = subprocess.run(  # our own arguments, no shell
        [program, *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupFailed(f"{tool}: {done.stderr.strip()[:2000]}")
