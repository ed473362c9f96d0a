"""A throwaway PostgreSQL server for tests: initdb into a temporary folder, postgres on 127.0.0.1.

Uses Debian's server binaries (/usr/lib/postgresql/<version>/bin, installed by .ci/run) or any
`initdb`/`postgres` on PATH. initdb refuses to run as root, so as root the cluster belongs to the
`postgres` user (or `nobody`) and its folder is made outside pytest's root-only temp folder.
Password authentication (scram-sha-256) on loopback only; the server stops when the tests end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SUPERUSER = "docgen_test"


def find_binaries() -> Path | None:
    """The folder holding initdb and postgres, newest Debian version first; None if absent."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for folder in candidates:
        if os.access(Path(folder) / "initdb", os.X_OK) and os.access(
            Path(folder) / "postgres", os.X_OK
        ):
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> pwd.struct_passwd | None:
    """As root: the unprivileged user to own and run the cluster; otherwise None (ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root and there is no 'postgres' or 'nobody' user for initdb")


class PostgresServer:
    def __init__(self, bin_dir: Path, base: Path | None = None) -> None:
        self.bin_dir = bin_dir
        self.user = _run_as()
        # pytest's temp folders are root-only (0700) when run as root: postgres could not reach them.
        self.root = Path(tempfile.mkdtemp(prefix="docgen-pg-", dir=None if self.user else base))
        self.data = self.root / "data"
        self.password = secrets.token_urlsafe(16)
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.log_path = self.root / "postgres.log"

    # ------------------------------------------------------------ run as the cluster's owner

    def _popen_kw(self) -> dict:
        if self.user is None:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def _chown(self, path: Path) -> None:
        if self.user is not None:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> PostgresServer:
        os.chmod(self.root, 0o700)
        self._chown(self.root)
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        os.chmod(pwfile, 0o600)
        self._chown(pwfile)
        subprocess.run(
            [str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
             "--pwfile", str(pwfile), "--auth", "scram-sha-256", "-E", "UTF8",
             "--locale", "C", "--no-sync"],
            check=True,
            capture_output=True,
            cwd=self.root,
            timeout=120,
            **self._popen_kw(),
        )  # fmt: skip
        pwfile.unlink()
        for _attempt in range(5):
            self.port = _free_port()
            log = self.log_path.open("ab")
            self._chown(self.log_path)
            self.process = subprocess.Popen(
                [str(self.bin_dir / "postgres"), "-D", str(self.data), "-p", str(self.port),
                 "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.root}",
                 "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                 "-c", "max_connections=60", "-c", "shared_buffers=32MB"],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.root,
                **self._popen_kw(),
            )  # fmt: skip
            log.close()
            if self._wait_ready():
                return self
            self._stop_process()  # most likely the port was taken in between: try another
        raise RuntimeError(f"postgres did not start:\n{self.log_path.read_text(errors='replace')}")

    def _wait_ready(self, timeout: float = 60) -> bool:
        import psycopg

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                return False
            try:
                with psycopg.connect(self.dsn("postgres"), connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                time.sleep(0.1)
        return False

    def _stop_process(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(2)  # SIGINT: fast shutdown, disconnects clients
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        self._stop_process()
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------ databases

    def dsn(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; its SQLAlchemy URL."""
        import psycopg

        name = name or f"docgen_{secrets.token_hex(6)}"
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)


# ---------------------------------------------------------------- pytest fixtures
# Import both into a test module that needs them: from tests.pg_server import pg_server, pg_url

NOT_INSTALLED = (
    "PostgreSQL's server binaries (initdb, postgres) are not installed: "
    "apt-get install postgresql (.ci/run installs it)"
)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole test session; skipped only where it is not installed."""
    bin_dir = find_binaries()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail(NOT_INSTALLED + ", but this is CI, where it must be")
        pytest.skip(NOT_INSTALLED)
    server = PostgresServer(bin_dir, base=tmp_path_factory.mktemp("pg"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> str:
    """The SQLAlchemy URL of a new, empty database on that server."""
    return pg_server.create_database()
