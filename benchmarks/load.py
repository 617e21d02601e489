"""Load generator: N users log in, then browse without pause (or with a think time) for a while.

Standard library only (threads and ``http.client`` with one kept-alive connection per user), so it runs
from any Python 3.12 next to the server and costs the shared cores little. Each user logs in through the
login form (CSRF token and session cookie), then loops over a browse mix: home page, beneficiary list and
its pages, a search, a person's file, the convention, placement and PIIS lists. Every answer other than
200 is an error. Prints requests/s, p50, p95 and errors.

    python benchmarks/load.py --url http://127.0.0.1:8000 --users gen62063-caseworker000,... --think 0
"""

import argparse
import http.client
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PERSON_LINK = re.compile(r'href="/beneficiaries/(\d+)/"')
DIGITS = re.compile(r"\d+")


FLOOR = "/__benchmark_floor__/"


@dataclass
class Result:
    latencies: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    by_page: dict = field(default_factory=dict)
    """Latencies per kind of page (the path with its numbers as N)."""
    elapsed: float = 0.0
    users: list = field(default_factory=list)


class Session:
    """One user's kept-alive connection and cookies."""

    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            response, content = self._send(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed the kept-alive connection while it was idle: a browser sends again on a
            # new one (a GET only; a POST is never repeated).
            self.connection.close()
            if method != "GET":
                raise
            response, content = self._send(method, path, body, headers)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content.decode("utf-8", "replace")

    def _send(self, method, path, body, headers):
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            return response, response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # reconnect on the next request
            raise

    def login(self, username, password):
        status, page = self.request("GET", "/login/")
        token = CSRF_INPUT.search(page)
        if status != 200 or token is None:
            raise RuntimeError(f"login page answered {status}")
        body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)})
        status, _page = self.request("POST", "/login/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Referer": "http://testserver/login/"})
        if status != 302:
            raise RuntimeError(f"login of {username} answered {status} (wrong password or lockout?)")


def browse_mix(people):
    """The pages of one round, as a caseworker's day mixes them (lists and files more than the rest)."""
    person = random.choice(people) if people else None
    pages = ["/", "/beneficiaries/", f"/beneficiaries/?page={random.randint(2, 40)}", "/beneficiaries/?q=dubois",
             "/conventions/", "/placements/", "/piis/", "/"]
    if person:
        pages += [f"/beneficiaries/{person}/"] * 2
    random.shuffle(pages)
    return pages


def user_loop(session, people, clock, think, result, lock):
    clock["go"].wait()
    while time.monotonic() < clock["deadline"]:
        for path in browse_mix(people):
            if time.monotonic() >= clock["deadline"]:
                break
            began = time.perf_counter()
            try:
                status, _page = session.request("GET", path)
                error = None if status == 200 else f"{path}: HTTP {status}"
            except Exception as failure:  # noqa: BLE001 (an error is counted, the user goes on)
                error = f"{path}: {failure.__class__.__name__}"
            took = (time.perf_counter() - began) * 1000
            with lock:
                result.latencies.append(took)
                result.by_page.setdefault(DIGITS.sub("N", path), []).append(took)
                if error:
                    result.errors.append(error)
            if think:
                time.sleep(think)


def run(*, base_url, usernames, password, duration=30.0, think=0.0, log=print):
    """Log every user in (one after the other: a login hashes a password, which is slow by design and is
    not what is measured), then browse for ``duration`` seconds; return the latencies and the errors."""
    result, lock = Result(), threading.Lock()
    clock = {"go": threading.Event(), "deadline": 0.0}
    users = []
    for username in usernames:
        session = Session(base_url)
        try:
            session.login(username, password)
            _status, page = session.request("GET", "/beneficiaries/")
        except Exception as error:  # noqa: BLE001 (a failed login is an error; the other users go on)
            result.errors.append(f"{username}: {error}")
            continue
        users.append((session, PERSON_LINK.findall(page)))
    threads = [threading.Thread(target=user_loop, args=(session, people, clock, think, result, lock), daemon=True)
               for session, people in users]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    clock["deadline"] = began + duration
    clock["go"].set()
    for thread in threads:
        thread.join()
    result.elapsed = time.monotonic() - began
    result.users = [session for session, _people in users]
    log(f"{len(users)} users, think {think:g} s: {len(result.latencies)} requests in {result.elapsed:.1f} s")
    return result


def floor(*, base_url, username, password, requests=200):
    """Median milliseconds of the bare view (served with ``CPAS_BENCHMARK_FLOOR=1``) for one logged-in user
    alone: what any page costs at least through this server."""
    session = Session(base_url)
    session.login(username, password)
    timings = []
    for _request in range(requests):
        began = time.perf_counter()
        status, _page = session.request("GET", FLOOR)
        if status != 200:
            raise RuntimeError(f"the bare view answered {status} (is CPAS_BENCHMARK_FLOOR=1 set for the server?)")
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def figures(result):
    """Requests per second, median and 95th percentile (ms) of a run."""
    latencies = sorted(result.latencies)
    if not latencies:
        return {"rate": 0.0, "p50": float("inf"), "p95": float("inf")}
    return {"rate": len(latencies) / result.elapsed, "p50": statistics.median(latencies),
            "p95": latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]}


def summary(result, *, think):
    if not result.latencies:
        return f"think {think:g} s: no request answered; errors: {result.errors[:5]}"
    numbers = figures(result)
    return (f"| {think:g} s | {numbers['rate']:.1f} | {numbers['p50']:.1f} | {numbers['p95']:.1f} | "
            f"{len(result.errors)} |" + (f"  first errors: {result.errors[:3]}" if result.errors else ""))


def by_page(result):
    """Per kind of page, slowest first: requests, p50 and p95 (ms) — where the overall p95 comes from."""
    lines = ["| page | requests | p50 ms | p95 ms |", "|---|---:|---:|---:|"]
    rows = []
    for page, latencies in result.by_page.items():
        latencies = sorted(latencies)
        rows.append((latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], page, len(latencies),
                     statistics.median(latencies)))
    for p95, page, count, p50 in sorted(rows, reverse=True):
        lines.append(f"| {page} | {count} | {p50:.1f} | {p95:.1f} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", required=True, help="Comma-separated usernames (caseworkers).")
    parser.add_argument("--password", default="benchmark")
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--think", type=float, action="append", help="Think time(s) in seconds (default 0 and 1).")
    options = parser.parse_args()
    print("| think time | requests/s | p50 ms | p95 ms | errors |")
    print("|---|---:|---:|---:|---:|")
    for think in options.think or [0.0, 1.0]:
        result = run(base_url=options.url, usernames=options.users.split(","), password=options.password,
                     duration=options.duration, think=think, log=lambda message: None)
        print(summary(result, think=think))
        print(by_page(result))


if __name__ == "__main__":
    main()
