"""The two base images the container tests need, made once per machine from Debian's packages.

No container registry need be reachable: when an image is missing, its root is made with
debootstrap from the mirror apt already uses, and imported with ``podman import``. Later runs
find the image and reuse it (``podman image exists``); nothing is rebuilt on every run.

- ``docker.io/library/python:3.11-slim-bookworm``, the Dockerfiles' default ``PYTHON_IMAGE``, so
  that they build unmodified. It trusts the machine's CA certificates, so that pip and uv reach
  the package index through this machine's proxy.
- ``localhost/cupcake-postgres:15-debian``: Debian bookworm's PostgreSQL 15 (bookworm has no 16),
  behaving like the official ``postgres`` image for what deploy/ uses of it (the ``POSTGRES_*``
  variables, data in /var/lib/postgresql/data, the postgres user as uid 999, ``pg_isready``).

Making an image needs root (debootstrap, chroot) and podman, debootstrap and tar.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PYTHON_IMAGE = "docker.io/library/python:3.11-slim-bookworm"
POSTGRES_IMAGE = "localhost/cupcake-postgres:15-debian"
SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"

# Without explicit limits runc fails here with "setrlimit RLIMIT_NOFILE: Operation not
# permitted"; `podman kube play` takes no flag, hence the containers.conf as well.
RESOURCE_LIMITS = ("--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096")
CONTAINERS_CONF = """\
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
"""

HOST_CERTIFICATES = Path("/usr/local/share/ca-certificates")
APT_SOURCES_LIST = Path("/etc/apt/sources.list")
APT_SOURCES_DIR = Path("/etc/apt/sources.list.d")
# Held while an image is looked for and made: two runs at once make it once.
MACHINE_LOCK = Path("/var/tmp/cupcake-base-images.lock")
ENTRYPOINT_SCRIPT = Path(__file__).with_name("postgres-entrypoint.sh")
ENTRYPOINT_IN_IMAGE = "/usr/local/bin/cupcake-postgres-entrypoint"
# The official image's postgres user and group: the manifests run it as 999:999.
POSTGRES_UID = 999
POSTGRES_BIN = "/usr/lib/postgresql/15/bin"
DEBIAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DEBOOTSTRAP_TIMEOUT_S = 1200
IMPORT_TIMEOUT_S = 600
# Where no registry is reachable, a pull fails within seconds, or hangs: not longer than this.
PULL_TIMEOUT_S = 60


@dataclass(frozen=True)
class Podman:
    """Runs podman with this machine's containers.conf (runc, explicit ulimits)."""

    containers_conf: Path

    @classmethod
    def configured_in(cls, directory: Path) -> Podman:
        """A Podman whose containers.conf is written into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        conf = directory / "containers.conf"
        conf.write_text(CONTAINERS_CONF)
        return cls(conf)

    @property
    def env(self) -> dict[str, str]:
        """The environment podman runs in: this process's, with CONTAINERS_CONF set."""
        return {**os.environ, "CONTAINERS_CONF": str(self.containers_conf)}

    def run(
        self,
        *args: str,
        check: bool = True,
        timeout: float = 300,
        stdin: int | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """``podman *args``, its output captured as text; a non-zero exit raises when ``check``."""
        completed = subprocess.run(
            ["podman", *args],
            env=self.env,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and completed.returncode != 0:
            raise PodmanError(args, completed)
        return completed

    def image_exists(self, name: str) -> bool:
        """Whether the image ``name`` is in local storage."""
        return self.run("image", "exists", name, check=False).returncode == 0

    def image_size(self, name: str) -> int:
        """The size in bytes of the local image ``name``."""
        return int(self.run("image", "inspect", "--format", "{{.Size}}", name).stdout)


class PodmanError(RuntimeError):
    """A podman command exited with an error."""

    def __init__(self, args: Sequence[str], completed: subprocess.CompletedProcess[str]) -> None:
        super().__init__(
            f"podman {' '.join(args)} exited {completed.returncode}:\n"
            f"{completed.stdout}{completed.stderr}"
        )


@dataclass(frozen=True)
class EnsuredImage:
    """An image present in local storage, and what it cost to get it there."""

    name: str
    seconds: float
    """Time spent making it; 0 when it already existed."""
    steps: dict[str, float] = field(default_factory=dict)
    """Seconds per step of making it (debootstrap, import, ...); empty when reused."""


def apt_mirror(
    sources_list: Path = APT_SOURCES_LIST, sources_dir: Path = APT_SOURCES_DIR, suite: str = SUITE
) -> str:
    """The first mirror the machine's apt sources use for ``suite``, else deb.debian.org.

    Reads both the deb822 ``*.sources`` files (``URIs:``, ``Suites:``, ``Enabled:``) and the
    one-line format (``deb [options] uri suite components``) of sources.list and ``*.list``.
    """
    files = [sources_list, *sorted(sources_dir.glob("*.list"))]
    for path in files:
        if path.is_file() and (mirror := _one_line_mirror(path.read_text(), suite)):
            return mirror
    for path in sorted(sources_dir.glob("*.sources")):
        if mirror := _deb822_mirror(path.read_text(), suite):
            return mirror
    return DEFAULT_MIRROR


def _one_line_mirror(text: str, suite: str) -> str | None:
    for line in text.splitlines():
        words = re.sub(r"\[[^]]*\]", " ", line.split("#", 1)[0]).split()
        if len(words) >= 3 and words[0] == "deb" and words[2] == suite:
            return words[1]
    return None


def _deb822_mirror(text: str, suite: str) -> str | None:
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, list[str]] = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line:
                continue
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.split()
        enabled = fields.get("enabled", ["yes"]) != ["no"]
        if enabled and "deb" in fields.get("types", []) and suite in fields.get("suites", []):
            uris = fields.get("uris", [])
            if uris:
                return uris[0]
    return None


def python_base_ensure(podman: Podman, name: str = PYTHON_IMAGE) -> EnsuredImage:
    """The Python base image ``name``: pulled if a registry serves it, else made with debootstrap.

    The made image has what the Dockerfiles use of the official slim image: ``python`` and
    ``pip`` on the path, venv, no EXTERNALLY-MANAGED marker (they ``pip install`` into the
    system), plus the machine's CA certificates with SSL_CERT_FILE naming the bundle. Apt's
    caches, documentation and translations are left out, as the official slim image does.
    """
    with machine_lock():
        if podman.image_exists(name):
            return EnsuredImage(name, 0.0)
        started = time.monotonic()
        if _pulled(podman, name):
            return EnsuredImage(
                name, time.monotonic() - started, {"pull": time.monotonic() - started}
            )
        steps: dict[str, float] = {}
        with debootstrapped(
            ["python3", "python3-venv", "python3-pip", "ca-certificates"], steps
        ) as root:
            (root / "usr/bin/python").symlink_to("python3")
            for marker in root.glob("usr/lib/python3*/EXTERNALLY-MANAGED"):
                marker.unlink()
            _trust_host_certificates(root)
            _drop_apt_caches(root)
            _drop_documentation(root)
            changes = [
                "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
                "ENV LANG=C.UTF-8",
                'CMD ["python3"]',
            ]
            _timed(steps, "import", lambda: _import(podman, root, name, changes))
        return EnsuredImage(name, time.monotonic() - started, steps)


def postgres_image_ensure(podman: Podman, name: str = POSTGRES_IMAGE) -> EnsuredImage:
    """The PostgreSQL 15 image ``name``, made with debootstrap from Debian's package if missing.

    Its entrypoint (postgres-entrypoint.sh) starts as root only to hand a fresh data folder to
    postgres (uid 999), or runs as 999 directly, as the manifests ask; PostgreSQL then runs in
    the foreground as PID 1. Its stop signal is SIGINT, PostgreSQL's fast shutdown: SIGTERM
    would be the smart one, which waits for every client to leave.
    """
    with machine_lock():
        if podman.image_exists(name):
            return EnsuredImage(name, 0.0)
        started = time.monotonic()
        steps: dict[str, float] = {}
        with debootstrapped(["postgresql"], steps) as root:
            _postgres_as_uid(root, POSTGRES_UID)
            # The cluster Debian's postinst made: the entrypoint makes its own in PGDATA.
            shutil.rmtree(root / "var/lib/postgresql/15", ignore_errors=True)
            shutil.rmtree(root / "etc/postgresql/15", ignore_errors=True)
            data = root / "var/lib/postgresql/data"
            data.mkdir(mode=0o700)
            os.chown(data, POSTGRES_UID, POSTGRES_UID)
            entrypoint = root / ENTRYPOINT_IN_IMAGE.lstrip("/")
            shutil.copyfile(ENTRYPOINT_SCRIPT, entrypoint)
            entrypoint.chmod(0o755)
            _drop_jit(root)
            _drop_apt_caches(root)
            _drop_documentation(root)
            changes = [
                f"ENV PATH={POSTGRES_BIN}:{DEBIAN_PATH}",
                "ENV PGDATA=/var/lib/postgresql/data",
                "ENV LANG=C.UTF-8",
                f'ENTRYPOINT ["{ENTRYPOINT_IN_IMAGE}"]',
                "CMD []",
                "STOPSIGNAL SIGINT",
                "EXPOSE 5432",
            ]
            _timed(steps, "import", lambda: _import(podman, root, name, changes))
        return EnsuredImage(name, time.monotonic() - started, steps)


@contextmanager
def machine_lock(path: Path = MACHINE_LOCK) -> Iterator[None]:
    """Held by one process of the machine at a time (flock, released when the process dies)."""
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def debootstrapped(packages: Sequence[str], steps: dict[str, float]) -> Iterator[Path]:
    """A minimal Debian root with ``packages`` in a folder under /var/tmp, removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="cupcake-rootfs-", dir="/var/tmp"))
    root = work / "root"
    try:
        command = [
            "debootstrap",
            "--variant=minbase",
            f"--include={','.join(packages)}",
            SUITE,
            str(root),
            apt_mirror(),
        ]
        _timed(steps, "debootstrap", lambda: _run(command, DEBOOTSTRAP_TIMEOUT_S))
        yield root
    finally:
        _unmount_below(root)
        shutil.rmtree(work, ignore_errors=True)


def _pulled(podman: Podman, name: str) -> bool:
    try:
        return (
            podman.run("pull", "--quiet", name, check=False, timeout=PULL_TIMEOUT_S).returncode == 0
        )
    except subprocess.TimeoutExpired:
        return False


def _trust_host_certificates(root: Path) -> None:
    target = root / HOST_CERTIFICATES.relative_to("/")
    target.mkdir(parents=True, exist_ok=True)
    for certificate in sorted(HOST_CERTIFICATES.glob("*.crt")):
        shutil.copyfile(certificate, target / certificate.name)
    _run(["chroot", str(root), "update-ca-certificates"], 120)


def _postgres_as_uid(root: Path, uid: int) -> None:
    """Give postgres (user and group) the number ``uid``, and it every file it owned."""
    old_uid = (root / "var/lib/postgresql").stat().st_uid
    old_gid = (root / "var/lib/postgresql").stat().st_gid
    _run(["chroot", str(root), "groupmod", "--gid", str(uid), "postgres"], 60)
    _run(["chroot", str(root), "usermod", "--uid", str(uid), "--gid", str(uid), "postgres"], 60)
    for folder, folders, files in os.walk(root):
        for path in [Path(folder, name) for name in [*folders, *files]]:
            stat = path.lstat()
            if stat.st_uid == old_uid or stat.st_gid == old_gid:
                new_uid = uid if stat.st_uid == old_uid else stat.st_uid
                new_gid = uid if stat.st_gid == old_gid else stat.st_gid
                os.chown(path, new_uid, new_gid, follow_symlinks=False)


def _drop_apt_caches(root: Path) -> None:
    for folder in ("var/cache/apt", "var/lib/apt/lists"):
        for entry in (root / folder).glob("*"):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def _drop_documentation(root: Path) -> None:
    """Documentation and message translations, read by no one in a container (about 50 MB)."""
    for folder in ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale"):
        shutil.rmtree(root / folder, ignore_errors=True)


def _drop_jit(root: Path) -> None:
    """PostgreSQL's LLVM JIT and LLVM itself (130 MB, a third of the image).

    Without its provider library PostgreSQL runs every query interpreted, as documented for a
    server built without JIT; the lab's small queries never reach jit_above_cost anyway.
    """
    lib = root / Path(POSTGRES_BIN).parent.relative_to("/") / "lib"
    for path in [*lib.glob("llvmjit*"), lib / "bitcode"]:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    for library in root.glob("usr/lib/*/lib*"):
        if library.name.startswith(("libLLVM-", "libz3.")):
            library.unlink()


def _import(podman: Podman, root: Path, name: str, changes: Sequence[str]) -> None:
    change_args = [arg for change in changes for arg in ("--change", change)]
    with subprocess.Popen(
        ["tar", "--numeric-owner", "-C", str(root), "-c", "."], stdout=subprocess.PIPE
    ) as tar:
        podman.run(
            "import",
            *change_args,
            "-",
            name,
            stdin=tar.stdout.fileno() if tar.stdout else None,  # never None: stdout=PIPE
            timeout=IMPORT_TIMEOUT_S,
        )
    if tar.returncode != 0:
        raise RuntimeError(f"tar of {root} exited {tar.returncode}")


def _unmount_below(root: Path) -> None:
    """Unmount what an interrupted debootstrap left mounted in ``root``, deepest first."""
    prefix = str(root.resolve()) + "/"
    mounts = [
        line.split()[1]
        for line in Path("/proc/mounts").read_text().splitlines()
        if line.split()[1].startswith(prefix)
    ]
    for mount in sorted(mounts, key=len, reverse=True):
        subprocess.run(["umount", "--lazy", mount], check=False)


def _run(command: Sequence[str], timeout: float) -> None:
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} exited {completed.returncode}:\n"
            f"{completed.stdout[-4000:]}{completed.stderr[-4000:]}"
        )


def _timed(steps: dict[str, float], step: str, action: Callable[[], object]) -> None:
    started = time.monotonic()
    action()
    steps[step] = round(time.monotonic() - started, 1)
