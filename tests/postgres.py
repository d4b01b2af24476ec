"""A throwaway PostgreSQL server for tests: a fresh cluster in a temporary directory.

    with temporary_server() as url:   # postgresql+psycopg2://postgres@127.0.0.1:PORT/gradebook
        nbgrader(..., f"--db={url}")

Needs PostgreSQL's server programs (Debian: `apt-get install postgresql`; as root,
`python3 tasks.py test` installs them); the URL needs psycopg2 (psycopg2-binary).
"""
import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = ("PostgreSQL's server programs (initdb, pg_ctl) were not found: install the Debian "
                "package with `apt-get install postgresql`, or run `python3 tasks.py test` as root, "
                "which installs it")


def server_binaries():
    """The bin directory of the newest PostgreSQL installed, or None."""
    # Debian keeps the server programs off PATH, one directory per major version.
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
             if os.access(Path(p).parent / "initdb", os.X_OK)]
    if found:
        return max(found, key=lambda d: [int(n) for n in d.parent.name.split(".") if n.isdigit()])
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    return Path(initdb).parent if initdb and pg_ctl else None


def available():
    return server_binaries() is not None


def free_port():
    # The port could be taken between here and the server's start; for a test that is rare
    # enough, and pg_ctl then fails loudly with the server's log.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TemporaryServer:
    """A fresh cluster in a temporary directory; `url` while it runs; stop() and start() it again
    (a gradebook out of reach for a while); remove() stops it and deletes it."""

    def __init__(self, database="gradebook"):
        bindir = server_binaries()
        if bindir is None:
            raise RuntimeError(INSTALL_HINT)
        self.bindir, self.prefix, temp_parent, user = bindir, [], None, None
        # The server refuses to run as root: as root, run it as the `postgres` user that the
        # Debian package creates, in a directory that user owns. /tmp rather than $TMPDIR,
        # which as root may sit in a directory that user cannot enter.
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root, but there is no `postgres` user to run the "
                                   "server as; " + INSTALL_HINT) from None
            # Debian keeps runuser in /usr/sbin, which an ordinary user's PATH may leave out.
            runuser = shutil.which("runuser", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))
            if runuser is None:
                raise RuntimeError("running as root, but `runuser` (util-linux) is missing")
            self.prefix = [runuser, "-u", "postgres", "--"]
            temp_parent = "/tmp"
        # A short path: the server's unix socket goes in here, and socket paths max out at 107 bytes.
        self.temp = Path(tempfile.mkdtemp(prefix="pg-", dir=temp_parent))
        if user is not None:
            os.chown(self.temp, user.pw_uid, user.pw_gid)
        self.data, self.log, self.port = self.temp / "data", self.temp / "server.log", free_port()
        self.running = False
        # --locale=C: the caller's locale may not exist on the machine (initdb then fails).
        # --no-sync and fsync=off: the data is thrown away, so durability only costs time.
        self._run("initdb", "-D", self.data, "--auth=trust", "-U", "postgres", "--encoding=UTF8",
                  "--locale=C", "--no-sync", "--no-instructions")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", database)
        # The driver is named: SQLAlchemy 2.1 takes a bare postgresql:// to mean psycopg 3.
        self.url = f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program, *args):
        result = subprocess.run([*self.prefix, str(self.bindir / program), *map(str, args)],
                                capture_output=True, text=True, cwd=self.temp)
        if result.returncode != 0:
            server_log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{program} failed ({result.returncode}):\n{result.stdout}"
                               f"{result.stderr}{server_log}")

    def start(self):
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.temp} -c fsync=off"
        self._run("pg_ctl", "start", "-w", "-D", self.data, "-l", self.log, "-o", options)
        self.running = True

    def stop(self):
        if self.running:
            self._run("pg_ctl", "stop", "-m", "fast", "-w", "-D", self.data)
            self.running = False

    def remove(self):
        with contextlib.suppress(RuntimeError):
            self.stop()
        shutil.rmtree(self.temp, ignore_errors=True)


@contextlib.contextmanager
def temporary_server(database="gradebook"):
    """Start a fresh cluster, yield a SQLAlchemy URL to an empty database, then stop and delete it."""
    server = TemporaryServer(database)
    try:
        yield server.url
    finally:
        server.remove()
