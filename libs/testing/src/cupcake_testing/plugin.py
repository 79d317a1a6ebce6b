"""The pytest plugin: each integration test on a real, migrated database, SQLite and PostgreSQL.

Each test that asks for a database runs twice (``backend``). On SQLite it gets its own file
in ``tmp_path``, a copy of one that the service's real migrations built once for the
session. On PostgreSQL (the server of CUPCAKE_TEST_POSTGRES_URL; skipped without it, a
failure under CUPCAKE_REQUIRE_ALL_SUITES=1) the session migrates a database of its own
once and puts its rows back as migrated before each test; the session drops its databases
when it ends.

A suite tells the plugin what its service is by defining the ``service_database`` fixture
(session scope) in its conftest: its name and how its migrations run.

Every suite also gets the doubles of time: ``clock`` (a ``ManualClock``) and ``spawn`` (a
``ManualSpawn``), for whatever the test hands a clock or a spawn to; and ``span_store``, a
store of spans of the test's own.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pytest

from cupcake_chassis.spans import SpanStore, spans_reset
from cupcake_testing.clock import ManualClock, ManualSpawn
from cupcake_testing.postgres import (
    PristineCopy,
    postgres_server_url,
    schema_empty,
    throwaway_database,
    unique_name,
    url_with_database,
)
from cupcake_testing.storage_faults import POSTGRES_FAULTS, SQLITE_FAULTS


@pytest.fixture
def clock() -> ManualClock:
    """The test's clock: it moves only when the test (or a fake it wired) moves it."""
    return ManualClock()


@pytest.fixture
def spawn() -> ManualSpawn:
    """Background work (such as a breaker's trial calls), kept until the test runs it."""
    return ManualSpawn()


@pytest.fixture
def span_store() -> Iterator[SpanStore]:
    """The process's span store for this test: its own, empty, peers asked for their spans;
    the environment's settings back after it."""
    store = SpanStore()
    spans_reset(store=store, gather=True)
    yield store
    spans_reset()


@dataclass(frozen=True)
class ServiceDatabase:
    """The service under test, as its database fixtures need it."""

    name: str  # names its SQLite files and its PostgreSQL databases (cupcake_<name>_test_...)
    migrate: Callable[[str], None]  # brings the database at a URL to the newest migration


@pytest.fixture(scope="session")
def service_database() -> ServiceDatabase:
    """The service whose database the fixtures make: a suite's conftest defines it."""
    raise pytest.UsageError(
        "the database fixtures of cupcake_testing need a session-scoped `service_database`"
        " fixture (a cupcake_testing.plugin.ServiceDatabase) in the suite's conftest"
    )


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The database the integration tests run on: each one runs on both."""
    return str(request.param)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The PostgreSQL server of the session (CUPCAKE_TEST_POSTGRES_URL), else a skip."""
    return postgres_server_url()


@pytest.fixture(scope="session")
def migrated_template(
    tmp_path_factory: pytest.TempPathFactory, service_database: ServiceDatabase
) -> Path:
    """A SQLite file migrated once, by the real migrations, for every test to copy."""
    path = tmp_path_factory.mktemp("template") / f"{service_database.name}.sqlite3"
    service_database.migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_postgres(
    postgres_server: str, service_database: ServiceDatabase
) -> Iterator[PristineCopy]:
    """A PostgreSQL database of the session, migrated once, its rows kept to be put back."""
    prefix = f"cupcake_{service_database.name}_test"
    with throwaway_database(postgres_server, prefix=prefix) as url:
        service_database.migrate(url)
        migrated = PristineCopy.keep(url)
        try:
            yield migrated
        finally:
            migrated.close()


@pytest.fixture(scope="session")
def empty_postgres(postgres_server: str, service_database: ServiceDatabase) -> Iterator[str]:
    """A second PostgreSQL database of the session, for the tests of an unmigrated one."""
    prefix = f"cupcake_{service_database.name}_empty"
    with throwaway_database(postgres_server, prefix=prefix) as url:
        yield url


@pytest.fixture
def database_url(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    service_database: ServiceDatabase,
) -> str:
    """The URL of this test's migrated and seeded database, as the migrations left it."""
    if backend == "sqlite":
        path = tmp_path / f"{service_database.name}.sqlite3"
        shutil.copyfile(request.getfixturevalue("migrated_template"), path)
        return f"sqlite:///{path}"
    migrated: PristineCopy = request.getfixturevalue("migrated_postgres")
    # A test that migrated down dropped tables: they are made again before the rows go back.
    migrated.restore(migrate=service_database.migrate)
    return migrated.url


@pytest.fixture(params=["locked", "read-only"])
def storage_fault(
    backend: str, request: pytest.FixtureRequest
) -> tuple[AbstractContextManager[object], str]:
    """A fault of this test's database (``database_url``), not yet made, and the reason a
    write is refused for while it lasts: another process or session holding its locks
    (``locked``), its file made read-only (``read-only``, SQLite's own: a skip on
    PostgreSQL). Asked for first, it skips before anything else is built."""
    faults = SQLITE_FAULTS if backend == "sqlite" else POSTGRES_FAULTS
    reason = str(request.param)
    if reason not in faults:
        pytest.skip(f"{reason} is SQLite's own fault")
    url: str = request.getfixturevalue("database_url")
    return faults[reason](url.removeprefix("sqlite:///")), reason


@pytest.fixture
def unmigrated_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database no migration has touched: a new SQLite file, or an emptied PostgreSQL one."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    url: str = request.getfixturevalue("empty_postgres")
    schema_empty(url)
    return url


@pytest.fixture
def unreachable_database_url(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    service_database: ServiceDatabase,
) -> str:
    """A database that cannot be opened: a SQLite file in a folder that does not exist, or a
    PostgreSQL database that the server does not have."""
    name = service_database.name
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / f'{name}.sqlite3'}"
    server: str = request.getfixturevalue("postgres_server")
    return url_with_database(server, unique_name(f"cupcake_{name}_missing"))
