"""Where code that is not the tutor's runs: a bubblewrap sandbox, else a plain child process.

Provides :func:`choose` (bubblewrap when it is installed and works here, else
the plain child; ``require_isolation=True``, and any tutor served to a class,
refuses the plain child with :class:`IsolationUnavailable`), :class:`Sandbox` (the
command that starts the harness in it) and :func:`missing_notice` (the once-only
word that bubblewrap is missing, with the command that installs it).

Under bubblewrap the child sees a read-only system (``/usr`` and the Python it
runs), NumPy, the harness, its request and the learner's file, and nothing else
of the machine: no network, a private ``/tmp``, its own PID, IPC and UTS
namespaces; it dies with the tutor, and its whole process tree ends when it
does.  The plain child runs with the same limits in its own process group, and
every process carrying its run's mark is killed after the check.
``BACKPROP_TUTOR_SANDBOX=process`` forces the plain child (tests use it);
``=bwrap`` requires bubblewrap.
"""

from __future__ import annotations

import functools
import os
import secrets
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tutor.store.served import served

ENV = "BACKPROP_TUTOR_SANDBOX"
INSTALL = "sudo apt install bubblewrap"
CHECK_UIDS = range(2_000_000_000, 2_100_000_000)
"""User ids no account has: a check started as root runs as one of its own, drawn at random,
so the kernel's process limit counts that check's processes only (a learner who forks to the
limit cannot stop another learner's check from starting a thread)."""
ROOT = Path("/sandbox")
SYSTEM = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime")
TMP_BYTES = 32 * 1024 * 1024
_noticed = False


class IsolationUnavailable(RuntimeError):
    """Bubblewrap is required here but cannot be used."""


@dataclass(frozen=True)
class Sandbox:
    """How a check's child is started: under ``bwrap`` (its path) or as a plain process."""

    bwrap: str | None
    problem: str = ""  # why bubblewrap is not used, when it is not

    @property
    def isolated(self) -> bool:
        """Whether the child runs under bubblewrap."""
        return self.bwrap is not None

    def command(self, folder: Path, files: dict[str, Path], argv: list[str]) -> list[str]:
        """The command that runs ``python -I -S`` with ``argv`` (paths as the child sees them).

        ``files`` maps a name under the child's folder to the file on this machine;
        under bubblewrap each is bound read-only at ``/sandbox/NAME``, else the child
        runs in ``folder``, where the files already are.
        """
        python = [interpreter(), "-I", "-S", *argv]
        if self.bwrap is None:
            return python
        arguments = [self.bwrap, *_namespaces()]
        arguments += _system_mounts()
        arguments += ["--perms", "0755", "--dir", str(ROOT)]
        for name, path in files.items():
            arguments += ["--ro-bind", str(path), str(ROOT / name)]
        arguments += ["--perms", "0755", "--dir", str(ROOT / "site")]
        for name, path in site_packages().items():
            arguments += ["--ro-bind", str(path), str(ROOT / "site" / name)]
        return [*arguments, "--chdir", "/tmp", "--", *python]

    def site(self, folder: Path) -> str:
        """The folder the child finds NumPy in (and nothing else of this Python's packages)."""
        if self.bwrap is not None:
            return str(ROOT / "site")
        site = folder / "site"
        site.mkdir(exist_ok=True)
        for name, path in site_packages().items():
            (site / name).symlink_to(path, target_is_directory=True)
        return str(site)

    @property
    def drops_root(self) -> bool:
        """Whether a child started as root goes on as a user of its own (then the process
        limit holds; see :data:`CHECK_UIDS`).

        Under bubblewrap always (it makes what the child needs readable); a plain child
        only when this Python and NumPy are open to every user.
        """
        if os.geteuid() != 0:
            return False
        return self.bwrap is not None or all(
            _open_to_others(path) for path in (Path(sys.base_prefix), *site_packages().values())
        )

    def path(self, folder: Path, name: str) -> str:
        """Where the child sees the file ``name`` of its folder."""
        return str((ROOT if self.bwrap is not None else folder) / name)


def check_uid() -> int:
    """A user id of :data:`CHECK_UIDS` for one check's child to run as."""
    return CHECK_UIDS.start + secrets.randbelow(len(CHECK_UIDS))


def interpreter() -> str:
    """The Python the child runs: this one's real executable (a venv's own may be hidden)."""
    base = getattr(sys, "_base_executable", "") or sys.executable
    return os.path.realpath(base)


def site_packages() -> dict[str, Path]:
    """NumPy's package folder, and the shared libraries its wheel brings, by name."""
    package = Path(np.__file__).resolve().parent
    found = {"numpy": package}
    libs = package.parent / "numpy.libs"
    if libs.is_dir():
        found["numpy.libs"] = libs
    return found


def _open_to_others(path: Path) -> bool:
    """Whether every user can reach ``path`` (each folder on the way searchable by others)."""
    try:
        real = path.resolve()
        return all(p.stat().st_mode & stat.S_IXOTH for p in (real, *real.parents))
    except OSError:
        return False


def _namespaces() -> list[str]:
    found = [
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
    ]
    if os.geteuid() == 0:  # the harness drops root, so that the process limit holds
        found += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return found


def _system_mounts() -> list[str]:
    """The read-only system: /usr, its links, the loader's cache, and this Python."""
    mounts = ["--ro-bind", "/usr", "/usr"]
    for top in SYSTEM:
        if os.path.islink(top):
            mounts += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            mounts += ["--ro-bind", top, top]
    for path in ETC:
        mounts += ["--ro-bind-try", path, path]
    for prefix in sorted({os.path.realpath(p) for p in (sys.base_prefix, sys.base_exec_prefix)}):
        if prefix != "/usr" and not prefix.startswith("/usr/"):
            mounts += [*_parents(prefix), "--ro-bind", prefix, prefix]
    mounts += ["--proc", "/proc", "--dev", "/dev"]
    mounts += [*_tmp_size(), "--perms", "1777", "--tmpfs", "/tmp"]
    return mounts


def _parents(path: str) -> list[str]:
    """Directories above ``path``, made traversable for the child (bwrap makes them 0700)."""
    made: list[str] = []
    for parent in reversed(Path(path).parents[:-1]):
        made += ["--perms", "0755", "--dir", str(parent)]
    return made


def _tmp_size() -> list[str]:
    return ["--size", str(TMP_BYTES)] if "--size" in _bwrap_help() else []


@functools.cache
def _bwrap_help() -> str:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return ""
    try:
        result = subprocess.run(
            [bwrap, "--help"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout + result.stderr


@functools.cache
def _probe(bwrap: str) -> str:
    """Why bubblewrap cannot make a sandbox here ("" when it can)."""
    command = [bwrap, *_namespaces(), *_system_mounts(), "--", interpreter(), "-I", "-S", "-c", ""]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    return "" if result.returncode == 0 else (result.stderr.strip() or f"exit {result.returncode}")


def choose(*, require_isolation: bool = False) -> Sandbox:
    """The sandbox a check runs in now; ``require_isolation`` accepts only bubblewrap.

    A tutor served to a class (``backprop-tutor serve``) always requires it: learners'
    code runs on the teacher's machine.
    """
    wanted = os.environ.get(ENV, "").strip().lower()
    require_isolation = require_isolation or wanted == "bwrap" or served()
    bwrap = shutil.which("bwrap")
    if wanted == "process" and not require_isolation:
        return Sandbox(None, f"{ENV}=process")
    if bwrap is None:
        problem = f"bubblewrap (bwrap) is not installed; install it with `{INSTALL}`"
    else:
        why = _probe(bwrap)
        problem = f"bubblewrap cannot make a sandbox here: {why}" if why else ""
    if problem and require_isolation:
        raise IsolationUnavailable(f"Exercises run only in a sandbox here, and {problem}.")
    return Sandbox(None if problem else bwrap, problem)


def missing_notice(sandbox: Sandbox) -> str:
    """Once per process, the word that checks run without bubblewrap ("" otherwise)."""
    global _noticed
    if sandbox.isolated or _noticed or sandbox.problem.startswith(ENV):
        return ""
    _noticed = True
    return (
        f"Note: {sandbox.problem}. Until then your code runs as a plain child process with "
        "the same limits, which can still see your files."
    )
