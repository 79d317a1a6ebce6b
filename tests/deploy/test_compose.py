"""deploy/compose.yaml: valid against the Compose Specification, and wired as the lab needs.

The schema is the Compose Specification's own JSON schema, as check-jsonschema ships it
(its vendored copy, `--builtin-schema vendor.compose-spec`): nothing is downloaded.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from tests.deploy.design import SERVICE_NAMES, spec_of
from tests.deploy.kustomize import env_file_keys
from tests.deploy.paths import COMPOSE_FILE, DEPLOY, REPO, dockerfile_of, tool

Compose = dict[str, Any]
INTERPOLATION = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::?[-?][^}]*)?\}")


@pytest.fixture(scope="module")
def compose() -> Compose:
    """The compose file, YAML anchors and merge keys resolved (as Compose does)."""
    loaded: Compose = yaml.safe_load(COMPOSE_FILE.read_text())
    return loaded


def compose_spec_errors(document: Compose) -> list[str]:
    """The Compose Specification schema's complaints about ``document``."""
    schema_file = files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document)]


def test_the_compose_file_validates_against_the_compose_specification(compose: Compose) -> None:
    assert compose_spec_errors(compose) == []


def test_the_cli_validates_it_with_the_same_builtin_schema() -> None:
    command = [str(tool("check-jsonschema")), "--builtin-schema", "vendor.compose-spec"]
    result = subprocess.run(
        [*command, str(COMPOSE_FILE)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_refuses_a_misspelt_condition(compose: Compose) -> None:
    broken = copy.deepcopy(compose)
    broken["services"]["bodies"]["depends_on"]["bodies-db"]["condition"] = "service_ready"
    assert len(compose_spec_errors(broken)) >= 1


def variable_of(value: str | None) -> str:
    """The variable a value is interpolated from: ``${NAME:?why}`` -> ``NAME``."""
    match = INTERPOLATION.fullmatch(value or "")
    assert match, f"{value!r} is not taken from a variable"
    return match.group(1)


def database_url(service: Compose) -> Any:
    """The parts of a compose service's DATABASE_URL."""
    return urlsplit(service["environment"]["DATABASE_URL"])


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_each_service_has_its_own_healthy_postgresql(compose: Compose, name: str) -> None:
    services = compose["services"]
    database = services[f"{name}-db"]
    assert database["image"] == "${POSTGRES_IMAGE:-postgres:16}"
    assert "pg_isready" in database["healthcheck"]["test"]
    url = database_url(services[name])
    assert url.hostname == f"{name}-db"
    assert url.username == database["environment"]["POSTGRES_USER"]
    assert url.path == "/" + database["environment"]["POSTGRES_DB"]
    assert variable_of(url.password) == variable_of(database["environment"]["POSTGRES_PASSWORD"])
    assert services[name]["depends_on"][f"{name}-db"] == {"condition": "service_healthy"}


def test_no_two_services_share_a_database(compose: Compose) -> None:
    hosts = [database_url(compose["services"][name]).hostname for name in SERVICE_NAMES]
    assert len(set(hosts)) == len(SERVICE_NAMES)


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_each_service_is_built_from_its_dockerfile_and_migrated_before_it_starts(
    compose: Compose, name: str
) -> None:
    services = compose["services"]
    migrate = services[f"{name}-migrate"]
    assert (REPO / "deploy" / migrate["build"]["context"]).resolve() == REPO
    assert REPO / migrate["build"]["dockerfile"] == dockerfile_of(name)
    assert services[name]["build"] == migrate["build"]
    assert migrate["image"] == services[name]["image"] == f"cupcake-{name}:dev"
    assert migrate["command"] == list(spec_of(name).migrate)
    assert migrate["environment"]["DATABASE_URL"] == services[name]["environment"]["DATABASE_URL"]
    assert migrate["depends_on"][f"{name}-db"] == {"condition": "service_healthy"}
    assert services[name]["depends_on"][f"{name}-migrate"] == {
        "condition": "service_completed_successfully"
    }


def test_every_dependency_waits_for_health_or_completion(compose: Compose) -> None:
    conditions = {"service_healthy", "service_completed_successfully"}
    for name, service in compose["services"].items():
        for dependency, how in service.get("depends_on", {}).items():
            assert how["condition"] in conditions, (name, dependency)
            if how["condition"] == "service_healthy":
                assert "healthcheck" in compose["services"][dependency], dependency


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_each_service_checks_its_health_on_its_own_port(compose: Compose, name: str) -> None:
    check = compose["services"][name]["healthcheck"]["test"]
    assert check[:2] == ["CMD", "python"]  # no curl in a slim image
    assert f"http://127.0.0.1:{spec_of(name).default_port}/healthz" in check[-1]


def test_ports_are_published_on_loopback_only_at_the_services_ports(compose: Compose) -> None:
    published = {}
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            host, outside, inside = str(port).split(":")
            assert host == "127.0.0.1", (name, port)
            published[name] = (int(outside), int(inside))
    assert published == {
        name: (spec_of(name).default_port, spec_of(name).default_port) for name in SERVICE_NAMES
    }


@pytest.mark.parametrize("name", SERVICE_NAMES)
def test_each_service_is_wired_by_environment_without_chaos(compose: Compose, name: str) -> None:
    environment = compose["services"][name]["environment"]
    assert environment["CUPCAKE_CHAOS"] == "0"
    assert environment["CUPCAKE_ADMIN_TOKEN"].startswith("${CUPCAKE_ADMIN_TOKEN")
    assert urlsplit(environment["PUBLIC_URL"]).port == spec_of(name).default_port
    for peer in SERVICE_NAMES:
        if f"{peer.upper()}_URL" in environment:
            url = urlsplit(environment[f"{peer.upper()}_URL"])
            assert (url.hostname, url.port) == (peer, spec_of(peer).default_port)


def test_bodies_accepts_the_hosts_it_is_called_by(compose: Compose) -> None:
    allowed = compose["services"]["bodies"]["environment"]["DJANGO_ALLOWED_HOSTS"].split(",")
    assert "127.0.0.1" in allowed  # its healthcheck and the browser
    bodies_url = compose["services"]["frostings"]["environment"]["BODIES_URL"]
    assert urlsplit(bodies_url).hostname in allowed


def test_secrets_come_from_a_git_ignored_env_file_whose_example_lists_them() -> None:
    wanted = set(INTERPOLATION.findall(COMPOSE_FILE.read_text()))
    assert "CUPCAKE_ADMIN_TOKEN" in wanted
    assert set(env_file_keys(DEPLOY / ".env.example")) == wanted
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", "deploy/.env"], cwd=REPO, check=False, timeout=30
    )
    assert ignored.returncode == 0, "deploy/.env must be git-ignored"


def test_no_secret_is_written_in_the_compose_file(compose: Compose) -> None:
    secret_names = ("PASSWORD", "TOKEN", "SECRET")
    for name, service in compose["services"].items():
        for variable, value in (service.get("environment") or {}).items():
            if any(word in variable for word in secret_names):
                assert INTERPOLATION.fullmatch(str(value)), (name, variable)
