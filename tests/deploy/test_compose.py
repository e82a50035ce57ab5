"""The production stack's files agree with each other and with the settings.

There is no Docker engine on the development and CI machines: these tests read
docker-compose.yml, deploy/nginx.conf, the Dockerfile and .env.example as text, and check
what a wrong edit would break (a second beat, a service started before its database, a
setting missing from .env.example, nginx's internal location out of step with Django's).
"""

import re
from pathlib import Path

import pytest
import yaml

from suggestions import documents

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING = ("web", "worker", "beat", "db", "redis", "nginx")
ONE_SHOT = ("migrate", "backup")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    """The variables .env.example sets, and those it shows commented out as `# NAME=`."""
    names = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(?:#\s*)?([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            names.setdefault(match[1], match[2])
    return names


def command_words(service: dict) -> list[str]:
    command = service.get("command", [])
    return command.split() if isinstance(command, str) else [str(word) for word in command]


def healthcheck_text(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


# --- nginx.conf, read as nested blocks ------------------------------------------------


def nginx_blocks(text: str) -> list:
    """deploy/nginx.conf as a tree of (directive, arguments, children) tuples."""
    tokens = re.findall(r'"[^"]*"|\'[^\']*\'|[{};]|[^\s{};"\']+', re.sub(r"#[^\n]*", "", text))
    root: list = []
    stack = [root]
    words: list[str] = []
    for token in tokens:
        if token == ";":
            stack[-1].append((words[0], words[1:], []))
            words = []
        elif token == "{":
            block = (words[0], words[1:], [])
            stack[-1].append(block)
            stack.append(block[2])
            words = []
        elif token == "}":
            stack.pop()
        else:
            words.append(token.strip("\"'"))
    assert len(stack) == 1 and not words, "unbalanced braces in deploy/nginx.conf"
    return root


def find(blocks: list, name: str) -> list:
    return [block for block in blocks if block[0] == name]


def directive(blocks: list, name: str) -> list[str] | None:
    found = find(blocks, name)
    return found[0][1] if found else None


@pytest.fixture(scope="module")
def nginx() -> list:
    return nginx_blocks((ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8"))


def server_listening(nginx: list, port: str) -> list:
    for _, _, children in find(nginx, "server"):
        if any(args[0] == port for args in (b[1] for b in find(children, "listen"))):
            return children
    raise AssertionError(f"no server listens on {port}")


def location(server: list, *path: str) -> list:
    for _, args, children in find(server, "location"):
        if tuple(args) == path:
            return children
    raise AssertionError(f"no location {' '.join(path)}")


def size_in_bytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


# --- docker-compose.yml -----------------------------------------------------------------


def test_compose_runs_the_processes_ci_runs(services):
    """web is gunicorn, worker a Celery worker, beat the Celery beat; PostgreSQL, Redis, nginx."""
    assert set(LONG_RUNNING + ONE_SHOT) == set(services)
    assert command_words(services["web"])[:1] == ["gunicorn"]
    assert "npc_tracker.wsgi:application" in command_words(services["web"])
    assert command_words(services["worker"])[:4] == ["celery", "-A", "npc_tracker", "worker"]
    assert command_words(services["beat"])[:4] == ["celery", "-A", "npc_tracker", "beat"]
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert "migrate" in command_words(services["migrate"])[-1]


def test_compose_runs_exactly_one_beat(services):
    """One service runs the beat, with one replica: two would enqueue every sweep twice."""
    beats = [name for name, service in services.items() if "beat" in command_words(service)]
    assert beats == ["beat"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "scale" not in services["beat"]


def test_compose_app_services_share_image_and_environment(services):
    """web, worker, beat and migrate are the same build with the same environment."""
    first = services[APP_SERVICES[0]]
    for name in APP_SERVICES:
        service = services[name]
        for key in ("build", "image", "env_file", "environment", "volumes"):
            assert service[key] == first[key], f"{name} differs in {key}"
    assert first["build"]["target"] == "app"
    assert first["env_file"] == ".env"


def test_compose_database_and_redis_keep_data_on_named_volumes(compose, services):
    """PostgreSQL's data folder and Redis's append-only file live on declared volumes."""
    mounts = {
        "db": "/var/lib/postgresql/data",
        "redis": "/data",
        "web": "/app/media",
    }
    for name, target in mounts.items():
        sources = [v.split(":")[0] for v in services[name]["volumes"] if v.split(":")[1] == target]
        assert len(sources) == 1, f"{name} mounts nothing at {target}"
        assert sources[0] in compose["volumes"], f"{name}'s {sources[0]} is not a named volume"


def test_compose_redis_refuses_writes_rather_than_evicting(services):
    """A full Redis must never drop queued tasks; appendonly keeps them across restarts."""
    words = command_words(services["redis"])
    assert words[words.index("--maxmemory-policy") + 1] == "noeviction"
    assert words[words.index("--appendonly") + 1] == "yes"


def test_compose_every_long_running_service_has_a_healthcheck(services):
    """Each service that stays up is checked; web and nginx through /healthz."""
    for name, service in services.items():
        if name in ONE_SHOT:
            assert service["restart"] == "no", f"{name} is a one-shot"
            continue
        assert service["restart"] in ("unless-stopped", "always"), name
        check = service.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
    assert "http://127.0.0.1:8000/healthz" in healthcheck_text(services["web"])
    assert "/healthz" in healthcheck_text(services["nginx"])
    assert "inspect ping" in healthcheck_text(services["worker"])
    assert "celerybeat.pid" in healthcheck_text(services["beat"])
    assert "--pidfile=/tmp/celerybeat.pid" in command_words(services["beat"])
    assert "pg_isready" in healthcheck_text(services["db"])


def test_compose_starts_services_after_their_dependencies_are_healthy(services):
    """Nothing starts against a database that is not ready, or before the migrations ran."""
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, name
    assert services["migrate"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert services["nginx"]["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_compose_publishes_only_nginx_and_keeps_it_off_the_data_network(services):
    """Only nginx is reachable from outside, and nginx cannot reach PostgreSQL or Redis."""
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx"}
    assert sorted(services["nginx"]["ports"]) == ["443:443", "80:80"]
    for name in ("db", "redis"):
        assert not set(services[name]["networks"]) & set(services["nginx"]["networks"]), name
    assert set(services["nginx"]["networks"]) <= set(services["web"]["networks"])


def test_compose_backup_service_is_not_started_by_up(services):
    """The backup service runs only when asked (`docker compose run --rm backup`)."""
    backup = services["backup"]
    assert backup["profiles"] == ["tools"]
    assert backup["entrypoint"][-1].endswith("/deploy/backup.sh")
    assert backup["image"] == services["db"]["image"], "pg_dump must match the server"


def test_compose_app_environment_points_at_its_own_services(services):
    """The containers use the compose database and Redis and trust nginx's headers."""
    environment = services["web"]["environment"]
    assert re.fullmatch(
        r"postgres://npc:\$\{POSTGRES_PASSWORD[^}]*\}@db:5432/npc", environment["DATABASE_URL"]
    )
    assert re.fullmatch(
        r"redis://:\$\{REDIS_PASSWORD[^}]*\}@redis:6379/0", environment["REDIS_URL"]
    )
    assert environment["DJANGO_BEHIND_PROXY"] == "1"
    assert environment["DJANGO_MEDIA_ROOT"] == "/app/media"


# --- nginx ------------------------------------------------------------------------------


def test_nginx_internal_location_is_the_accel_redirect_path(services, env_example, nginx):
    """X-Accel-Redirect from the document view lands on nginx's internal media location."""
    internal = [
        args
        for _, _, server in find(nginx, "server")
        for _, args, children in find(server, "location")
        if find(children, "internal")
    ]
    assert internal == [["/protected-media/"]]
    path = internal[0][0]
    assert services["web"]["environment"]["DJANGO_DOCUMENTS_ACCEL_REDIRECT"] == path
    assert env_example["DJANGO_DOCUMENTS_ACCEL_REDIRECT"] == path
    # The alias is where the media volume is mounted in the nginx container, read-only.
    alias = directive(location(server_listening(nginx, "443"), path), "alias")[0]
    media_mounts = [v for v in services["nginx"]["volumes"] if v.startswith("media:")]
    assert media_mounts == [f"media:{alias.rstrip('/')}:ro"]
    assert alias.endswith("/")


def test_nginx_serves_https_and_redirects_http_except_healthz(nginx, services):
    """Port 80 answers /healthz from web and redirects the rest; port 443 has the certificates."""
    http = server_listening(nginx, "80")
    assert directive(location(http, "=", "/healthz"), "proxy_pass") == ["http://npc_web"]
    assert directive(location(http, "/"), "return") == ["301", "https://$host$request_uri"]
    https = server_listening(nginx, "443")
    assert "ssl" in find(https, "listen")[0][1]
    assert directive(https, "ssl_certificate")[0].startswith("/etc/nginx/certs/")
    assert "./deploy/certs:/etc/nginx/certs:ro" in services["nginx"]["volumes"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    upstream = find(nginx, "upstream")[0]
    assert upstream[1] == ["npc_web"] and directive(upstream[2], "server") == ["web:8000"]


def test_nginx_passes_the_client_address_and_scheme_to_django(nginx):
    """The login lockout and the HTTPS check need nginx's X-Forwarded-For and -Proto."""
    proxied = location(server_listening(nginx, "443"), "/")
    headers = {args[0]: args[1] for _, args, _ in find(proxied, "proxy_set_header")}
    assert headers == {
        "Host": "$host",
        "X-Forwarded-For": "$proxy_add_x_forwarded_for",
        "X-Forwarded-Proto": "$scheme",
    }


def test_nginx_accepts_uploads_up_to_the_document_limit(nginx):
    """A 20 MB reply document plus its form fits in client_max_body_size."""
    limit = size_in_bytes(directive(server_listening(nginx, "443"), "client_max_body_size")[0])
    assert limit > documents.MAX_BYTES


def test_nginx_proxy_timeout_matches_gunicorn():
    """nginx waits for a slow export as long as gunicorn lets it run."""
    config: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(encoding="utf-8"), config)
    nginx_conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    read_timeout = re.search(r"proxy_read_timeout (\d+)s;", nginx_conf)[1]
    assert int(read_timeout) == config["timeout"]
    assert config["bind"] == "0.0.0.0:8000"


# --- settings, .env.example, Dockerfile ---------------------------------------------------


def test_env_example_names_every_variable_the_settings_read(env_example):
    """A new setting read from the environment needs its line in .env.example."""
    settings_py = (ROOT / "npc_tracker" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\benv(?:\.[a-z_]+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", settings_py))
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "EMAIL_URL"} <= read  # the pattern works
    assert sorted(read - set(env_example)) == []


def test_env_example_sets_the_passwords_compose_requires(compose, env_example):
    """Every ${VAR:?...} docker-compose.yml requires has a line in .env.example."""
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    required = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):\?", text))
    assert required == {"POSTGRES_PASSWORD", "REDIS_PASSWORD"}
    assert required <= set(env_example)
    assert env_example["DJANGO_DEBUG"] == "0"


def dockerfile_stages() -> dict[str, list[str]]:
    """The Dockerfile's instructions (continuation lines joined) per stage name."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    stages: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            current = stages.setdefault(line.split()[-1], [])
        current.append(line)
    return stages


def test_dockerfile_builds_a_slim_image_running_as_a_user():
    """Python 3.11 slim, locked hashes, messages compiled, static collected, not root."""
    stages = dockerfile_stages()
    assert list(stages) == ["build", "nginx", "app"]  # app, the default target, is last
    build, app = " ".join(stages["build"]), stages["app"]
    assert stages["build"][0].startswith("FROM python:3.11-slim ")
    assert app[0].startswith("FROM python:3.11-slim ")
    assert "--require-hashes -r /tmp/base.txt" in build
    assert "compilemessages" in build and "collectstatic --no-input" in build
    users = [line.split()[1] for line in app if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK ") and "/healthz" in line for line in app)
    assert "COPY --from=build /app/staticfiles /srv/static" in stages["nginx"]
    # The throwaway build key never becomes an ENV of an image.
    assert not any(
        line.startswith("ENV") and "SECRET" in line for s in stages.values() for line in s
    )


def test_dockerignore_keeps_secrets_and_local_data_out_of_the_image():
    """.env, the virtualenv, the database, media, backups and git stay out of the build."""
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    needed = {".env", ".venv", ".git", "media", "db.sqlite3", "staticfiles", "artifacts"}
    assert needed | {"backups", "deploy/certs"} <= ignored


def test_systemd_units_run_the_same_three_processes():
    """Without Docker: gunicorn, a worker and one beat, as the compose file runs them."""
    units = {
        path.stem: path.read_text(encoding="utf-8")
        for path in (ROOT / "deploy" / "systemd").glob("*.service")
    }
    assert set(units) == {"npc-web", "npc-worker", "npc-beat"}
    execs = {name: re.search(r"^ExecStart=(.*)$", text, re.M)[1] for name, text in units.items()}
    assert "gunicorn --config gunicorn.conf.py npc_tracker.wsgi:application" in execs["npc-web"]
    assert "celery -A npc_tracker worker" in execs["npc-worker"]
    assert "celery -A npc_tracker beat" in execs["npc-beat"]
    for text in units.values():
        assert re.search(r"^User=npc$", text, re.M)
        assert "EnvironmentFile=" in text
