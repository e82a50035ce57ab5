"""The pages of ``make bench`` (``bench/run.py``): served by gunicorn, loaded by wrk.

Which pages, and as whom (``page_urls``); their SQL queries, counted in this process with
the test client (``count_queries``); gunicorn on a free loopback port, the actors' logins
through the login page, and wrk's report (``parse_wrk``). ``measure_pages`` does it all
for one size.
"""

import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.harness import LIMITS, ROOT, Run, Step, StepFailed, _describe

PASSWORD = "bench12345"
CLERK, DEPUTY, STAFF = "bench-clerk", "bench-deputy", "bench-staff"
LEADER = "bench-leader01"  # supervises the bench unit and about a tenth of the others


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float:
    """A duration as wrk prints it ("812.00us", "1.52ms", "2.01s", "1.00m") in seconds."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*(us|ms|s|m|h)\s*", text)
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    """Requests per second, p50 and p99 latency (ms) and the errors from ``wrk --latency``."""
    rps = re.search(r"^Requests/sec:\s*([0-9.]+)", output, re.M)
    if not rps:
        raise ValueError("wrk printed no Requests/sec line:\n" + output.strip())
    latency = {
        percent: parse_duration(value) * 1000
        for percent, value in re.findall(r"^\s*(50|75|90|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.M)
    }
    if "50" not in latency or "99" not in latency:
        raise ValueError("wrk printed no latency distribution (run it with --latency)")
    total = re.search(r"^\s*(\d+) requests in ([0-9.]+\w+)", output, re.M)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    requests = int(total.group(1)) if total else None
    errors = [int(n) for n in sockets.groups()] if sockets else [0, 0, 0, 0]
    return {
        "requests_per_second": float(rps.group(1)),
        # Without a single answer wrk prints a distribution of zeros.
        "latency_p50_ms": latency["50"] if requests != 0 else None,
        "latency_p99_ms": latency["99"] if requests != 0 else None,
        "requests": requests,
        "seconds": parse_duration(total.group(2)) if total else None,
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(errors[:3]),  # connect, read, write
        "timeouts": errors[3],
    }


_FULL_COUNT = re.compile(r"\bCOUNT\s*\(", re.I)


def is_full_count(sql: str, table: str) -> bool:
    """A COUNT over ``table`` that no WHERE and no LIMIT bounds: it reads the whole table.

    An estimate (``pg_class.reltuples``) or a count capped by a LIMIT is not one; neither
    is a count of a filtered list.
    """
    quoted = f'"{table}"'
    return (
        bool(_FULL_COUNT.search(sql))
        and quoted in sql
        and not re.search(r"\bWHERE\b", sql, re.I)
        and not re.search(r"\bLIMIT\b", sql, re.I)
    )


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is not installed: apt-get install -y wrk")
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing it (running as root) ...")
        subprocess.run(["apt-get", "update", "-qq"], check=True, timeout=300)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, timeout=300)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    return found


def page_urls() -> dict[str, tuple[str | None, str, tuple[str, ...]]]:
    """Each page: who asks for it, its path, and what its answer must contain."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from suggestions import selectors

    clerk = get_user_model().objects.get(username=CLERK)
    # The first row of the clerk's task list: the page a clerk opens from it.
    first = (
        selectors.task_rows(user=clerk).first()
        or selectors.assignments_visible_to(user=clerk).order_by("pk").first()
    )
    if first is None:
        raise StepFailed(f"{CLERK} has no assignment to open")
    return {
        "ceiling": (None, reverse("bench-ceiling"), ("ok",)),
        "tasks:list": (CLERK, reverse("tasks:list"), ('id="task-table"', 'id="assignment-')),
        "status:list": (DEPUTY, reverse("status:list"), ('id="status-list"', 'id="suggestion-')),
        "tasks:detail": (
            CLERK,
            reverse("tasks:detail", args=[first.pk]),
            ('id="suggestion-number"',),
        ),
        # The deputy's first suggestion: the page a deputy opens from their list.
        "status:detail": (
            DEPUTY,
            reverse("status:detail", args=[_first_of_deputy()]),
            ('id="suggestion-',),
        ),
        # The same two lists through the JSON API (issue 18), with a device's token.
        "api:tasks": (CLERK, reverse("api:tasks"), ('"results"', '"id"')),
        "api:my-suggestions": (DEPUTY, reverse("api:my-suggestions"), ('"results"', '"id"')),
        "admin": (STAFF, reverse("admin:suggestions_suggestion_changelist"), ('id="result_list"',)),
        "plain admin": (
            STAFF,
            reverse("plain_admin:suggestions_suggestion_changelist"),
            ('id="result_list"',),
        ),
    }


def _first_of_deputy() -> int:
    from django.contrib.auth import get_user_model

    from suggestions import selectors

    deputy = get_user_model().objects.get(username=DEPUTY)
    first = selectors.status_rows(user=deputy).first()
    if first is None:
        raise StepFailed(f"{DEPUTY} has no suggestion to open")
    return first.pk


def count_queries(username: str, path: str, markers: tuple[str, ...]) -> dict:
    """SQL queries per request of a page, on its second request (the first warms up), as
    served (from the page cache, ``npc_tracker.pagecache``, when it keeps the page) and as
    drawn anew (``drawn``: ``Cache-Control: no-cache``, what a page costs after a write).

    A page that redirects to itself with its default filters is counted, and then
    measured, at the address it redirects to (returned as ``path``).
    """
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from suggestions.models import Suggestion

    user = get_user_model().objects.get(username=username)
    if is_api(path):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {device_token(user)}")
    else:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
    response = client.get(path)
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith(path + "?"):
        path = location
        client.get(path)
    with CaptureQueriesContext(connection) as drawn:
        client.get(path, HTTP_CACHE_CONTROL="no-cache")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    body = response.content.decode("utf-8", "replace")
    if response.status_code != 200 or not all(m in body for m in markers):
        raise StepFailed(f"{path} answered {response.status_code} without {markers}")
    table = Suggestion._meta.db_table
    counts = [q["sql"] for q in captured.captured_queries if is_full_count(q["sql"], table)]
    return {
        "count": len(captured),
        "drawn": len(drawn),
        "full_count": bool(counts),
        "full_count_sql": counts,
        "path": path,
    }


def is_api(path: str) -> bool:
    return path.startswith("/api/")


def device_token(user) -> str:
    """A device's token for ``user`` (the API's login makes one the same way)."""
    from api.models import DeviceToken

    _token, key = DeviceToken.objects.create(user=user, name="bench")
    return key


def api_login(base: str, username: str) -> str:
    """Log in through the API's token login; the Authorization header's value."""
    import json

    data = json.dumps({"username": username, "password": PASSWORD, "device": "bench"}).encode()
    request = urllib.request.Request(
        base + "/api/v1/auth/login/", data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body = response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        raise StepFailed(f"{username} could not log in to the API (answer {e.code})") from e
    if status != 201 or "token" not in body:
        raise StepFailed(f"{username} could not log in to the API (answer {status})")
    return f"Token {body['token']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_get(
    url: str, headers: dict | None = None, opener=None, timeout: float = 30
) -> tuple[int, str]:
    """Status and body of a GET, redirects not followed."""
    opener = opener or urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


@contextlib.contextmanager
def gunicorn(run: Run, log: Path):
    """gunicorn with 2 sync workers on a free loopback port; yields the base URL.

    The project's gunicorn.conf.py (the deployment's settings) applies; the command line
    sets the workers and the address, and turns off the recycling of workers after
    ``max_requests``, which would restart them in the middle of a measurement. The access
    log goes nowhere; errors go to ``log``.
    """
    port = free_port()
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "npc_tracker.wsgi",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--max-requests",
        "0",
        "--log-level",
        "warning",
    ]
    with open(log, "ab") as errors:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=run.env(),
            stdout=subprocess.DEVNULL,
            stderr=errors,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + run.limit(LIMITS["server"])
        while True:
            if process.poll() is not None:
                raise StepFailed(f"gunicorn exited with {process.returncode}; see {log}")
            with contextlib.suppress(OSError):
                if http_get(base + "/bench/ceiling/")[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise StepFailed(f"gunicorn did not answer within {LIMITS['server']} s")
            time.sleep(0.3)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def login(base: str, username: str) -> str:
    """Log in through the login page; the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    status, body = http_get(base + "/accounts/login/", opener=opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not token:
        raise StepFailed(f"the login page answered {status} without a CSRF token")
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(base + "/accounts/login/", data=data)
    try:
        with opener.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    from django.conf import settings

    cookies = {cookie.name: cookie.value for cookie in jar}
    if status != 302 or settings.SESSION_COOKIE_NAME not in cookies:
        raise StepFailed(f"{username} could not log in (answer {status})")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def load(run: Run, wrk: str, url: str, cookie: str | None, markers: tuple[str, ...]) -> dict:
    """One warm-up request that must answer 200 with the page's markers, then wrk.
    ``cookie``: the session's Cookie header, or an API token's ``Token ...``."""
    header = "Authorization" if cookie and cookie.startswith("Token ") else "Cookie"
    headers = {header: cookie} if cookie else {}
    status, body = http_get(url, headers, timeout=120)  # gunicorn's own limit
    if status != 200 or not all(m in body for m in markers):
        raise StepFailed(f"{url} answered {status} without {markers}: not measured")
    seconds = run.mode.wrk_seconds
    command = [wrk, "-t1", "-c4", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"{header}: {cookie}"]
    run.limit(seconds + 5)
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    if done.returncode != 0:
        raise StepFailed(f"wrk exited with {done.returncode}: {done.stderr.strip()}")
    found = parse_wrk(done.stdout)
    # Error answers or broken connections mean something else than the page was measured;
    # a slow page's timeouts are part of its figure.
    if found["non_2xx_3xx"] or found["socket_errors"]:
        raise StepFailed(
            f"{found['non_2xx_3xx']} error answers and {found['socket_errors']} socket errors"
            f" in {found['requests']} requests:\n{done.stdout}"
        )
    return found


def report_urls(year: int) -> dict[str, tuple[str | None, str, tuple[str, ...]]]:
    """The reports' pages (issue 15): the closed ``year``'s assessment (its year shown; a
    unit's name could be shortened) and the dashboard for the office and for a leader,
    with the ceiling again."""
    from django.urls import reverse

    return {
        "ceiling": (None, reverse("bench-ceiling"), ("ok",)),
        "assessment (closed year)": (
            STAFF,
            reverse("reports:assessment", args=[year]),
            (str(year),),
        ),
        "dashboard (staff)": (STAFF, reverse("reports:dashboard"), ("</html>",)),
        "dashboard (leader)": (LEADER, reverse("reports:dashboard"), ("</html>",)),
    }


KEEPER = "bench-keeper"  # keeps one township station (bench/data/stations.py)


def station_urls(station_id: int) -> dict[str, tuple[str | None, str, tuple[str, ...]]]:
    """The keeper's pages (issue 16): their station, their opinions, and the opinions of
    that station, with the ceiling again. The station's page must name it."""
    from django.urls import reverse

    from stations.models import LiaisonStation

    name = LiaisonStation.objects.get(pk=station_id).name
    opinions = reverse("stations:opinions")
    return {
        "ceiling": (None, reverse("bench-ceiling"), ("ok",)),
        "stations:detail": (KEEPER, reverse("stations:detail", args=[station_id]), (name,)),
        "stations:opinions": (KEEPER, opinions, ("</html>",)),
        "stations:opinions?station": (KEEPER, f"{opinions}?station={station_id}", ("</html>",)),
    }


def duty_urls() -> dict[str, tuple[str | None, str, tuple[str, ...]]]:
    """The deputy's duty page (issue 17), this year's, as ``bench-deputy``, with the
    ceiling again."""
    from django.urls import reverse

    return {
        "ceiling": (None, reverse("bench-ceiling"), ("ok",)),
        "duty:mine": (DEPUTY, reverse("duty:mine"), ('id="duty-total"', 'id="duty-ranks"')),
    }


def measure_pages(run: Run, size: int, wrk: str, folder: Path) -> None:
    urls = run.step("find the pages", size, page_urls)
    if urls is not None:
        measure(run, size, wrk, folder, urls, run.figures[size])


def measure(run: Run, size: int, wrk: str, folder: Path, urls: dict, figures: dict) -> None:
    """Count the queries of each page in ``urls``, then load each through gunicorn; into
    ``figures["queries"]`` and ``figures["pages"]``, with each page's ratio to the ceiling."""
    figures.setdefault("pages", {})
    figures["queries"] = {}
    for page, (username, path, markers) in urls.items():
        if username is None:
            continue
        found = run.step(f"queries {page}", size, count_queries, username, path, markers)
        if found:
            figures["queries"][page] = found
            urls[page] = (username, found["path"], markers)
    try:
        with gunicorn(run, folder / "gunicorn.log") as base:
            cookies = {}
            for username, api in sorted({(u, is_api(p)) for u, p, _m in urls.values() if u}):
                how = api_login if api else login
                cookie = run.step(f"log in {username}", size, how, base, username)
                if cookie:
                    cookies[(username, api)] = cookie
            for page, (username, path, markers) in urls.items():
                if username and (username, is_api(path)) not in cookies:
                    run.steps.append(
                        Step(f"page {page}", size, False, 0, f"{username} not logged in")
                    )
                    continue
                found = run.step(
                    f"page {page}",
                    size,
                    load,
                    run,
                    wrk,
                    base + path,
                    cookies.get((username, is_api(path))),
                    markers,
                )
                if found:
                    figures["pages"][page] = {**found, "path": path, "user": username}
    except Exception as e:  # the server did not start, or the budget is spent
        run.steps.append(Step("gunicorn", size, False, 0, _describe(e)))
    ceiling = figures["pages"].get("ceiling", {}).get("requests_per_second")
    for found in figures["pages"].values():
        found["ratio_to_ceiling"] = found["requests_per_second"] / ceiling if ceiling else None
