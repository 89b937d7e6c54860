"""`invdesk serve` benchmark: reads against the HTTP stack's ceiling, orders against in-process,
the 64-client race across two servers, and a server's memory under load.

`GET /api/v1/inventory/{sku}` is answered from each process's read cache, at most
MAX_STALENESS_S behind the database: the bound is printed beside the ratio, with the share of
reads the cache answered. A second read load spreads over SPREAD products at random, so a good
share of its reads go to the database (each product is re-read at least once per bound).

Run from the repository root (not collected by pytest); needs wrk (`apt-get install wrk`):

    uv run python tests/perf/bench_serve.py [--db postgresql://postgres@127.0.0.1:5432/test]
        [--seconds 10]

The database named by --db (default: INVDESK_TEST_DATABASE_URL) is only used to create throw-away
databases next to it; without one it runs on a SQLite file. wrk (C, event-driven) generates the
load: 2 threads, 16 connections. Its CPU time is printed beside the server's, to show the client
is not the bottleneck. One server process (--workers 1) serves each measurement, like the bare app.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from invdesk.db import migrate
from invdesk.db.engine import Database
from invdesk.domain.security import SYSTEM
from invdesk.domain.tokens import Scope, TokenGrant
from invdesk.services.channels import orders as channel_orders
from invdesk.services.channels import tokens
from invdesk.services.channels.stock_cache import MAX_STALENESS_S
from tests import support
from tests.server.race import prepare, run_race
from tests.server.running import free_port, server_process, serving, stop

CLIENTS = 16
SKU = "BENCH-1"
SPREAD = 500  # products BENCH-1 .. BENCH-500, for the spread read load
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _fresh_database(base: str | None, workdir: Path) -> str:
    if base is None:
        return f"sqlite:///{workdir}/bench-{uuid.uuid4().hex[:8]}.db"
    admin_url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"invdesk_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _drop(base: str | None, url: str) -> None:
    if base is None:
        return
    engine = create_engine(
        make_url(base).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def _seed(url: str) -> str:
    with Database.open(url) as db:
        migrate.upgrade(db)
        support.warehouse(db, "MAIN")
        support.product(db, SKU)
        support.stocked(db, SKU, 1_000_000, "MAIN")
        for n in range(2, SPREAD + 1):
            support.product(db, f"BENCH-{n}")
            support.stocked(db, f"BENCH-{n}", 1_000, "MAIN")
        return tokens.add_token(db, SYSTEM, "bench", ["read", "orders"])[1]


class Sampler:
    """The peak RSS and the CPU seconds of a process while a load runs (from /proc)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    self.peak_rss_mb = max(self.peak_rss_mb, int(line.split()[1]) / 1024)

    def __enter__(self) -> Sampler:
        self.cpu_start = self.cpu_seconds()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu_used = self.cpu_seconds() - self.cpu_start
        self._stop.set()
        self._thread.join()


def _wrk(
    url: str, seconds: int, *, headers: dict[str, str], script: Path | None = None
) -> dict[str, float]:
    """Run wrk; its requests/s, p99 latency (ms), non-2xx count and its own CPU seconds."""
    command = ["wrk", "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99 is not None, out
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "rate": rate,
        "p99_ms": float(p99.group(1)) * _UNITS[p99.group(2)],
        "non_2xx": float(errors.group(1)) if errors else 0.0,
        "client_cpu": cpu,
        "wall": wall,
    }


def _bare_server(port: int) -> subprocess.Popen[bytes]:
    # The same server and options as invdesk.server.run (uvicorn, one process, no access log).
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.perf.bare_app:app", "--port", str(port),
         "--log-level", "warning", "--no-access-log"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait(url: str) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def _orders_script(secret: str, workdir: Path) -> Path:
    run = uuid.uuid4().hex[:8]
    script = workdir / "orders.lua"
    script.write_text(
        f"""
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local n = 0
request = function()
  n = n + 1
  local body = '{{"channel":"web_shop","reference":"B{run}-' .. tid .. '-' .. n ..
    '","warehouse":"MAIN","lines":[{{"sku":"{SKU}","qty":1}}]}}'
  return wrk.format("POST", "/api/v1/orders",
    {{["Content-Type"]="application/json", ["Authorization"]="Bearer {secret}"}}, body)
end
"""
    )
    return script


def _spread_script(workdir: Path) -> Path:
    script = workdir / "spread.lua"
    script.write_text(
        f"""
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/inventory/BENCH-" .. math.random(1, {SPREAD}))
end
"""
    )
    return script


def _cache_counts(base: str) -> dict[str, float]:
    """The server's invdesk_read_cache_total by result (hit, miss)."""
    import httpx
    from prometheus_client.parser import text_string_to_metric_families

    counts = {"hit": 0.0, "miss": 0.0}
    for family in text_string_to_metric_families(httpx.get(f"{base}/metrics").text):
        for sample in family.samples:
            if sample.name == "invdesk_read_cache_total":
                counts[sample.labels["result"]] = sample.value
    return counts


def _hit_share(before: dict[str, float], after: dict[str, float]) -> float:
    hits, misses = after["hit"] - before["hit"], after["miss"] - before["miss"]
    return hits / max(1.0, hits + misses)


def _in_process_orders(url: str, seconds: float) -> float:
    """Orders/s of the same service called by CLIENTS threads in this process."""
    grant = TokenGrant("bench", frozenset({Scope.ORDERS}), None)
    run = uuid.uuid4().hex[:8]
    done = [0] * CLIENTS
    stop_at = time.perf_counter() + seconds
    with Database.open(url) as db:

        def client(k: int) -> None:
            n = 0
            while time.perf_counter() < stop_at:
                n += 1
                channel_orders.place(
                    db,
                    grant,
                    channel="web_shop",
                    reference=f"I{run}-{k}-{n}",
                    warehouse="MAIN",
                    lines=[(SKU, 1)],
                )
                done[k] += 1

        threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sum(done) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("INVDESK_TEST_DATABASE_URL"))
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench_serve needs wrk: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    url = _fresh_database(args.db, workdir)
    kind = make_url(url).get_backend_name()
    print(f"database: {kind}; load: wrk -t2 -c{CLIENTS}, {args.seconds} s per run; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")  # fmt: skip
    try:
        secret = _seed(url)
        auth = {"Authorization": f"Bearer {secret}"}
        port = free_port()
        bare = _bare_server(port)
        try:
            _wait(f"http://127.0.0.1:{port}/constant")
            _wrk(f"http://127.0.0.1:{port}/constant", 2, headers=auth)  # warm-up
            with Sampler(bare.pid) as bare_cpu:
                ceiling = _wrk(f"http://127.0.0.1:{port}/constant", args.seconds, headers=auth)
        finally:
            stop(bare)
        # The rate limit is lifted: one token sends every request of the load.
        unlimited = ("--rate-limit", "100000", "--burst", "100000")
        with server_process(url, options=unlimited, log=workdir / "serve.log") as (base, server):
            pid = server.pid
            item = f"{base}/api/v1/inventory/{SKU}"
            _wrk(item, 2, headers=auth)  # warm-up: connections, caches, prepared statements
            counted = _cache_counts(base)
            with Sampler(pid) as read_cpu:
                reads = _wrk(item, args.seconds, headers=auth)
            after_reads = _cache_counts(base)
            read_hits = _hit_share(counted, after_reads)
            spread = _spread_script(workdir)
            with Sampler(pid) as spread_cpu:
                spread_reads = _wrk(item, args.seconds, headers=auth, script=spread)
            spread_hits = _hit_share(after_reads, _cache_counts(base))
            script = _orders_script(secret, workdir)
            with Sampler(pid) as order_cpu:
                posts = _wrk(f"{base}/api/v1/orders", args.seconds, headers={}, script=script)
        in_process = _in_process_orders(url, args.seconds)
        _report("constant JSON (bare Litestar on uvicorn)", ceiling, bare_cpu)
        _report(f"GET /api/v1/inventory/{SKU}", reads, read_cpu)
        _report(f"GET /api/v1/inventory/BENCH-<random of {SPREAD}>", spread_reads, spread_cpu)
        _report("POST /api/v1/orders (1 line)", posts, order_cpu)
        print(f"  in-process place_order, {CLIENTS} threads: {in_process:,.0f} orders/s")
        print(
            f"RATIO reads / constant: {reads['rate'] / ceiling['rate']:.2f}x (goal >= 0.5x); "
            f"reads p99 {reads['p99_ms']:.1f} ms (goal < 25 ms); answers at most "
            f"{MAX_STALENESS_S:g} s behind the database, {read_hits:.1%} from the cache"
        )
        print(f"  spread over {SPREAD} products: {spread_reads['rate'] / ceiling['rate']:.2f}x, "
              f"p99 {spread_reads['p99_ms']:.1f} ms, {spread_hits:.1%} from the cache")  # fmt: skip
        print(
            f"RATIO orders over HTTP / in-process: {posts['rate'] / in_process:.2f}x (goal >= 0.5x)"
        )
        peak = max(read_cpu.peak_rss_mb, spread_cpu.peak_rss_mb, order_cpu.peak_rss_mb)
        print(f"server RSS under load: peak {peak:.0f} MB (goal < 200 MB)")
        race_url = _fresh_database(args.db, workdir)
        try:
            with Database.open(race_url) as db:
                migrate.upgrade(db)
            racer = prepare(race_url, 10)
            with serving(race_url) as one, serving(race_url) as two:
                result = run_race(race_url, [one, two], racer)
            print(f"race, 64 clients on two servers for the last 10 units: "
                  f"{dict(result.statuses)}; on hand {result.on_hand}, reserved "
                  f"{result.reserved}, oversold {max(0, result.statuses[201] - 10)}, verify "
                  f"differences {result.differences}")  # fmt: skip
        finally:
            _drop(args.db, race_url)
    finally:
        _drop(args.db, url)
        shutil.rmtree(workdir, ignore_errors=True)


def _report(what: str, load: dict[str, float], server: Sampler) -> None:
    wall = load["wall"]
    print(
        f"{what}: {load['rate']:,.0f} req/s, p99 {load['p99_ms']:.1f} ms, non-2xx "
        f"{load['non_2xx']:.0f}; server CPU {server.cpu_used / wall:.0%} of a core, "
        f"client (wrk) CPU {load['client_cpu'] / wall:.0%} of a core"
    )


if __name__ == "__main__":
    main()
